package camera

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"gocv.io/x/gocv"

	"github.com/badgeuse/badgeuse/kiosk"
)

// Hints appended to errors, for the volunteer reading the log.
const (
	hintDevice = "is the camera plugged in (check the USB cable or the ribbon cable)? " +
		"`v4l2-ctl --list-devices` lists the cameras. A Raspberry Pi camera module is not read " +
		"as /dev/videoN: use a libcamerasrc GStreamer pipeline (see /usr/share/doc/badgeuse-kiosk/pi-setup.md)"
	hintPermission = "add the user running kioskd to the video group " +
		"(sudo usermod -aG video USER), then log in again or restart the service"
	hintBusy = "is another program using the camera (only one can at a time)? " +
		"Some webcams have two /dev/video devices: try the other one"
	hintPipeline = "test it with gst-launch-1.0 (put fakesink instead of appsink); " +
		"for the Pi camera module install gstreamer1.0-libcamera and check the camera with libcamera-hello"
)

// capture is a source read through a gocv.VideoCapture.
type capture struct {
	src    source
	vc     *gocv.VideoCapture
	frames int // frames read since opening
}

// openCapture opens a device, a pipeline or a video file.
func openCapture(s source, opt Options) (*capture, error) {
	switch s.kind {
	case kindDevice:
		return openDevice(s, opt)
	case kindPipeline:
		vc, err := gocv.VideoCaptureFileWithAPI(s.path, gocv.VideoCaptureGstreamer)
		if err != nil || !vc.IsOpened() {
			vc.Close()
			return nil, fmt.Errorf("camera %s: cannot start it: %s", s, hintPipeline)
		}
		return &capture{src: s, vc: vc}, nil
	default:
		if _, err := os.Stat(s.path); err != nil {
			return nil, fmt.Errorf("camera %s: %w (check the path) (%w)", s, err, kiosk.ErrUnreadable)
		}
		vc, err := gocv.VideoCaptureFile(s.path)
		if err != nil || !vc.IsOpened() {
			vc.Close()
			return nil, fmt.Errorf("camera %s: cannot be read as a video (MJPG AVI and MP4 files work) (%w)", s, kiosk.ErrUnreadable)
		}
		w, h := int(vc.Get(gocv.VideoCaptureFrameWidth)), int(vc.Get(gocv.VideoCaptureFrameHeight))
		if w > 0 && h > 0 {
			if err := kiosk.CheckImageSize(w, h); err != nil {
				vc.Close()
				return nil, fmt.Errorf("camera %s: %w (%w)", s, err, kiosk.ErrUnreadable)
			}
		}
		return &capture{src: s, vc: vc}, nil
	}
}

// openDevice checks the device node first, to tell a missing camera from a
// permission problem, then opens it with V4L2 and asks for opt's format.
func openDevice(s source, opt Options) (*capture, error) {
	if err := checkDeviceNode(s); err != nil {
		return nil, err
	}
	var (
		vc  *gocv.VideoCapture
		err error
	)
	if s.index >= 0 {
		vc, err = gocv.VideoCaptureDeviceWithAPI(s.index, gocv.VideoCaptureV4L2)
	} else {
		vc, err = gocv.VideoCaptureFileWithAPI(s.path, gocv.VideoCaptureV4L2)
	}
	if err != nil || !vc.IsOpened() {
		vc.Close()
		return nil, fmt.Errorf("camera %s: cannot open it: %s", s, hintBusy)
	}
	if opt.FourCC != "" {
		vc.Set(gocv.VideoCaptureFOURCC, vc.ToCodec(opt.FourCC))
	}
	if opt.Width > 0 {
		vc.Set(gocv.VideoCaptureFrameWidth, float64(opt.Width))
	}
	if opt.Height > 0 {
		vc.Set(gocv.VideoCaptureFrameHeight, float64(opt.Height))
	}
	if opt.FPS > 0 {
		vc.Set(gocv.VideoCaptureFPS, opt.FPS)
	}
	return &capture{src: s, vc: vc}, nil
}

// checkDeviceNode opens the device node the way V4L2 will, and turns the
// usual failures into advice.
func checkDeviceNode(s source) error {
	f, err := os.OpenFile(s.path, os.O_RDWR, 0)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("camera %s: not found: %s: %w", s, hintDevice, fs.ErrNotExist)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("camera %s: permission denied: %s: %w", s, hintPermission, fs.ErrPermission)
	default:
		return fmt.Errorf("camera %s: %w", s, err)
	}
}

// next reads one frame into raw.
func (c *capture) next(raw *gocv.Mat) (*gocv.Mat, func(), error) {
	if !c.vc.Read(raw) || raw.Empty() {
		return nil, nil, c.endErr()
	}
	c.frames++
	return raw, func() {}, nil
}

// endErr says why a capture gave no frame.
func (c *capture) endErr() error {
	switch {
	case c.src.live():
		return fmt.Errorf("camera %s stopped sending frames (unplugged? loose cable?); it will be opened again", c.src)
	case c.frames == 0:
		return fmt.Errorf("camera %s: no frame could be read from it (MJPG AVI and MP4 files work) (%w)", c.src, kiosk.ErrUnreadable)
	default:
		return io.EOF
	}
}

func (c *capture) fps() float64 {
	if c.src.live() {
		return 0
	}
	return c.vc.Get(gocv.VideoCaptureFPS)
}

func (c *capture) close() { c.vc.Close() }
