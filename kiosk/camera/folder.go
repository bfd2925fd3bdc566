package camera

import (
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig reads JPEG headers
	_ "image/png"  // and PNG headers
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gocv.io/x/gocv"

	"github.com/badgeuse/badgeuse/kiosk"
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
	err  error // why, when known
}

func (e *badImageError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("camera: image %s cannot be read (%v); skipping it", e.path, e.err)
	}
	return fmt.Sprintf("camera: image %s cannot be read (damaged, or not a JPEG or PNG image); skipping it", e.path)
}

func (e *badImageError) Unwrap() error { return e.err }

// checkImage reads the size an image file states in its header and refuses
// it over kiosk's limits, before OpenCV decodes it (a 48 KB PNG can claim
// 20000×20000 pixels, which OpenCV would allocate).
func checkImage(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return err
	} else if fi.Size() > kiosk.MaxImageFileBytes {
		return fmt.Errorf("%w: file over %d MiB", kiosk.ErrImageTooLarge, kiosk.MaxImageFileBytes>>20)
	}
	c, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil // not a header Go reads: OpenCV says whether it can
	}
	return kiosk.CheckImageSize(c.Width, c.Height)
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
		return nil, fmt.Errorf("camera %s: %w (%w)", s, err, kiosk.ErrUnreadable)
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && isImage(e.Name()) {
			files = append(files, filepath.Join(s.path, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("camera %s: no .jpg or .png images in it (%w)", s, kiosk.ErrUnreadable)
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
	if err := checkImage(path); err != nil {
		return nil, nil, &badImageError{path: path, err: err}
	}
	m := gocv.IMRead(path, gocv.IMReadGrayScale)
	if m.Empty() {
		m.Close()
		return nil, nil, &badImageError{path: path}
	}
	return &m, func() { m.Close() }, nil
}

func (d *folder) fps() float64 { return 0 }

func (d *folder) close() {}
