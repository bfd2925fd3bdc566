//go:build qrbaseline

package main

/*
#cgo CXXFLAGS: -std=c++17 -O2
#cgo pkg-config: zxing
#include <stdlib.h>
#include "zxingcpp.h"
*/
import "C"

import (
	"errors"
	"unsafe"

	"github.com/badgeuse/badgeuse/kiosk"
)

func init() {
	baselines = append(baselines, func() (decoder, error) { return zxingCPP{}, nil })
}

// zxingCPP is zxing-cpp's reader (Debian's libzxing), called in process
// through a small C++ shim.
type zxingCPP struct{}

func (zxingCPP) Name() string { return "zxing-cpp 1.4 (in process)" }

func (zxingCPP) Decode(f *kiosk.Frame) ([]string, error) {
	var out *C.char
	var n C.int
	r := C.zxingcpp_read((*C.uchar)(unsafe.Pointer(&f.Pix[0])), C.int(f.Width), C.int(f.Height), C.int(f.Stride), &out, &n)
	defer C.free(unsafe.Pointer(out))
	if r < 0 {
		return nil, errors.New("zxing-cpp: exception")
	}
	return records(C.GoBytes(unsafe.Pointer(out), n)), nil
}

func (zxingCPP) Close() {}
