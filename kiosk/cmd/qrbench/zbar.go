//go:build qrbaseline

package main

/*
#cgo pkg-config: zbar
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

// zbar_scan_gray scans an 8-bit gray image (rows of w bytes) for QR codes
// and returns the texts as a malloc'd buffer of (4-byte length, bytes)
// records. The image and its pixels never outlive the call.
static int zbar_scan_gray(zbar_image_scanner_t *scanner, const unsigned char *pix, int w, int h, char **out, int *outlen) {
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, w, h);
	zbar_image_set_data(img, pix, (unsigned long)w * h, NULL);
	int n = zbar_scan_image(scanner, img);
	size_t size = 0;
	const zbar_symbol_t *sym;
	for (sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym))
		size += 4 + zbar_symbol_get_data_length(sym);
	char *buf = malloc(size ? size : 1);
	char *p = buf;
	for (sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym)) {
		unsigned int len = zbar_symbol_get_data_length(sym);
		memcpy(p, &len, 4);
		memcpy(p + 4, zbar_symbol_get_data(sym), len);
		p += 4 + len;
	}
	zbar_image_destroy(img);
	*out = buf;
	*outlen = (int)size;
	return n;
}

static zbar_image_scanner_t *zbar_qr_scanner(void) {
	zbar_image_scanner_t *s = zbar_image_scanner_create();
	zbar_image_scanner_set_config(s, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(s, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	return s;
}
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/badgeuse/badgeuse/kiosk"
)

func init() {
	baselines = append(baselines, func() (decoder, error) { return newZbar(), nil })
}

// zbarDecoder is zbar's QR reader, called in process through cgo.
type zbarDecoder struct {
	scanner *C.zbar_image_scanner_t
}

func newZbar() *zbarDecoder { return &zbarDecoder{scanner: C.zbar_qr_scanner()} }

func (z *zbarDecoder) Name() string { return "zbar 0.23 (in process)" }

func (z *zbarDecoder) Decode(f *kiosk.Frame) ([]string, error) {
	pix := packed(f)
	var out *C.char
	var n C.int
	if C.zbar_scan_gray(z.scanner, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(f.Width), C.int(f.Height), &out, &n) < 0 {
		C.free(unsafe.Pointer(out))
		return nil, fmt.Errorf("zbar: scan failed")
	}
	defer C.free(unsafe.Pointer(out))
	return records(C.GoBytes(unsafe.Pointer(out), n)), nil
}

func (z *zbarDecoder) Close() { C.zbar_image_scanner_destroy(z.scanner) }
