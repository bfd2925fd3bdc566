package camera

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gocv.io/x/gocv"
)

// folder is a folder of images read in name order. The list is taken when
// the folder is opened, so images added later are read on the next pass.
type folder struct {
	src   source
	files []string
	i     int
}

// badImageError is a folder image that could not be read. It ends that
// frame only, not the pass.
type badImageError struct {
	path string
}

func (e *badImageError) Error() string {
	return fmt.Sprintf("camera: image %s cannot be read (damaged, or not a JPEG or PNG image); skipping it", e.path)
}

// isImage reports whether name has an image extension the folder reads.
func isImage(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// openFolder lists the images of s.
func openFolder(s source) (*folder, error) {
	entries, err := os.ReadDir(s.path)
	if err != nil {
		return nil, fmt.Errorf("camera %s: %w", s, err)
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && isImage(e.Name()) {
			files = append(files, filepath.Join(s.path, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("camera %s: no .jpg or .png images in it", s)
	}
	slices.Sort(files)
	return &folder{src: s, files: files}, nil
}

// next reads the next image, already in gray. Its Mat is freed by release.
func (d *folder) next(*gocv.Mat) (*gocv.Mat, func(), error) {
	if d.i >= len(d.files) {
		return nil, nil, io.EOF
	}
	path := d.files[d.i]
	d.i++
	m := gocv.IMRead(path, gocv.IMReadGrayScale)
	if m.Empty() {
		m.Close()
		return nil, nil, &badImageError{path: path}
	}
	return &m, func() { m.Close() }, nil
}

func (d *folder) fps() float64 { return 0 }

func (d *folder) close() {}
