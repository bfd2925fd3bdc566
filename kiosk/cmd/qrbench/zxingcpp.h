#ifndef QRBENCH_ZXINGCPP_H
#define QRBENCH_ZXINGCPP_H
#ifdef __cplusplus
extern "C" {
#endif

// zxingcpp_read decodes the QR codes in an 8-bit gray image with zxing-cpp's
// default hints (try harder, rotate, downscale). It returns the number of
// codes, or -1 on an exception, and the texts (UTF-8) in a malloc'd buffer
// of (4-byte length, bytes) records.
int zxingcpp_read(const unsigned char *pix, int w, int h, int stride, char **out, int *outlen);

#ifdef __cplusplus
}
#endif
#endif
