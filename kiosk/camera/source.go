package camera

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// kind is the kind of a source.
type kind int

const (
	kindDevice   kind = iota // V4L2 device, by number or path
	kindPipeline             // GStreamer pipeline
	kindFile                 // video file
	kindFolder               // folder of images
)

// source is a parsed SRC string.
type source struct {
	kind  kind
	spec  string // as given
	path  string // device path, file or folder; the pipeline for kindPipeline
	index int    // device number, -1 when given by path
}

// parseSource tells what src designates. A path that does not exist yet is
// taken as a video file (or a device under /dev), so that the error comes,
// clearly worded, from opening it.
func parseSource(src string) (source, error) {
	spec := strings.TrimSpace(src)
	switch {
	case spec == "":
		return source{}, errors.New("camera: no source given: use a device number (0), a device (/dev/video0), a video file, a folder of images or a GStreamer pipeline")
	case strings.Contains(spec, "!"):
		return source{kind: kindPipeline, spec: spec, path: spec, index: -1}, nil
	}
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 0 {
			return source{}, fmt.Errorf("camera: device number %d must be 0 or more", n)
		}
		return source{kind: kindDevice, spec: spec, path: "/dev/video" + spec, index: n}, nil
	}
	if strings.HasPrefix(spec, "/dev/") {
		return source{kind: kindDevice, spec: spec, path: spec, index: -1}, nil
	}
	if fi, err := os.Stat(spec); err == nil && fi.IsDir() {
		return source{kind: kindFolder, spec: spec, path: spec, index: -1}, nil
	}
	return source{kind: kindFile, spec: spec, path: spec, index: -1}, nil
}

// live reports whether the source delivers frames at its own pace.
func (s source) live() bool { return s.kind == kindDevice || s.kind == kindPipeline }

func (s source) String() string {
	switch s.kind {
	case kindDevice:
		return "V4L2 device " + s.path
	case kindPipeline:
		return fmt.Sprintf("GStreamer pipeline %q", s.path)
	case kindFolder:
		return "folder " + s.path
	default:
		return "video file " + s.path
	}
}
