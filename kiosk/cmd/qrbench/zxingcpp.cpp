//go:build qrbaseline

// text() returns UTF-8 (std::string) rather than std::wstring.
#define ZX_USE_UTF8 1

#include "zxingcpp.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <ZXing/ReadBarcode.h>

extern "C" int zxingcpp_read(const unsigned char *pix, int w, int h, int stride, char **out, int *outlen) {
	*out = nullptr;
	*outlen = 0;
	try {
		ZXing::ImageView view(pix, w, h, ZXing::ImageFormat::Lum, stride);
		ZXing::DecodeHints hints;
		hints.setFormats(ZXing::BarcodeFormat::QRCode);
		ZXing::Results results = ZXing::ReadBarcodes(view, hints);
		std::vector<std::string> texts;
		size_t size = 0;
		for (const auto &r : results) {
			if (!r.isValid())
				continue;
			texts.push_back(r.text());
			size += 4 + texts.back().size();
		}
		char *buf = static_cast<char *>(std::malloc(size ? size : 1));
		char *p = buf;
		for (const auto &t : texts) {
			unsigned int len = static_cast<unsigned int>(t.size());
			std::memcpy(p, &len, 4);
			std::memcpy(p + 4, t.data(), len);
			p += 4 + len;
		}
		*out = buf;
		*outlen = static_cast<int>(size);
		return static_cast<int>(texts.size());
	} catch (...) {
		return -1;
	}
}
