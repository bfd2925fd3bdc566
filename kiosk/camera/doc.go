// Package camera delivers grayscale frames to the kiosk from OpenCV (gocv):
// a webcam, the Raspberry Pi camera module, a video file or a folder of
// images. It implements kiosk.Camera.
//
// The source is one string, as given to `kioskd run --camera SRC`:
//
//	0, 1, …                  a V4L2 device by number (/dev/video0, …): a USB webcam
//	/dev/video0              a V4L2 device by path
//	… ! … ! appsink          a GStreamer pipeline (any string containing "!"),
//	                         e.g. the Pi camera module through libcamera:
//	                         libcamerasrc ! video/x-raw,width=1280,height=720,framerate=30/1 ! videoconvert ! appsink
//	demo.avi, clip.mp4       a video file
//	frames/                  a folder of .jpg/.jpeg/.png images, read in name order
//
// Every frame is converted to 8-bit gray into the caller's kiosk.Frame,
// reusing its buffer. The OpenCV matrices are allocated once per Camera and
// freed by Close, so the kiosk can run for months without growing (folder
// images are read with gocv.IMRead, whose matrix is freed right after the
// copy).
//
// Images of a folder are checked from their header before OpenCV decodes
// them: one over kiosk.MaxImagePixels or kiosk.MaxImageSide (or a file over
// kiosk.MaxImageFileBytes) is skipped with an error wrapping
// kiosk.ErrImageTooLarge. A video file or folder that cannot be opened or
// read at all gives an error wrapping kiosk.ErrUnreadable.
//
// Files and folders are paced at their frame rate, as a live camera would
// deliver them, unless Options.Fast is set. At their end Read returns
// io.EOF, and the next Read starts again from the beginning. A device or a
// pipeline that stops delivering frames (unplugged) makes Read return an
// error; the next Read tries to open it again, so the caller should wait a
// little between failed Reads.
package camera
