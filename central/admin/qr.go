package admin

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrImage is a QR code ready for a page: inline SVG (crisp on paper, no
// request) and a PNG data: URL to download.
type qrImage struct {
	SVG template.HTML
	PNG template.URL
}

// newQR encodes text with error correction Q (qrcode.High), as the badge
// format asks: large modules, read through blur.
func newQR(text string, pngSize int) (qrImage, error) {
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		return qrImage{}, fmt.Errorf("qr: %w", err)
	}
	bm := q.Bitmap() // with its quiet zone
	n := len(bm)
	var path strings.Builder
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	// Only numbers come from outside the code: the SVG is safe as is.
	svg := fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-hidden="true"><rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		n, n, n, n, path.String())
	png, err := q.PNG(pngSize)
	if err != nil {
		return qrImage{}, fmt.Errorf("qr png: %w", err)
	}
	return qrImage{SVG: template.HTML(svg), PNG: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}, nil
}

// qrPNG draws text's QR code as a PNG image (error correction Q, as
// newQR), for a mail's attachment.
func qrPNG(text string, size int) ([]byte, error) {
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return q.PNG(size)
}
