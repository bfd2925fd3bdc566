package qrtest

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"os"
)

// WriteBombPNG writes a valid 8-bit gray PNG of width×height white pixels
// without holding the image in memory: its rows of zeros compress about a
// thousandfold, so a file of a few hundred KiB claims a picture that takes
// width×height bytes (and more) to decode. Tests use it to check that
// images are refused from their header before they are decoded.
func WriteBombPNG(path string, width, height int) error {
	row := make([]byte, 1+width) // filter byte "None", then the pixels
	for i := 1; i < len(row); i++ {
		row[i] = 0xff
	}
	// Every row is the same: compress a chunk of rows once and repeat it.
	// A flushed deflate stream ends on a byte boundary with no block
	// marked final, and refers to nothing before its start, so copies of it
	// follow one another as one stream.
	perChunk := max(1, (4<<20)/len(row))
	compressRows := func(n int) ([]byte, error) {
		var b bytes.Buffer
		fw, err := flate.NewWriter(&b, flate.BestCompression)
		if err != nil {
			return nil, err
		}
		for range n {
			fw.Write(row)
		}
		if err := fw.Flush(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	chunk, err := compressRows(perChunk)
	if err != nil {
		return err
	}
	rest, err := compressRows(height % perChunk)
	if err != nil {
		return err
	}
	var idat bytes.Buffer
	idat.Write([]byte{0x78, 0xda}) // zlib header: deflate, best compression
	for range height / perChunk {
		idat.Write(chunk)
	}
	idat.Write(rest)
	fw, _ := flate.NewWriter(&idat, flate.BestCompression)
	fw.Close() // the final, empty block
	sum := adler32.New()
	for range height {
		sum.Write(row)
	}
	binary.Write(&idat, binary.BigEndian, sum.Sum32())

	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8] = 8 // bit depth; color type 0 (gray), compression, filter, interlace 0
	for _, c := range []struct {
		kind string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", idat.Bytes()}, {"IEND", nil}} {
		var head [8]byte
		binary.BigEndian.PutUint32(head[:4], uint32(len(c.data)))
		copy(head[4:], c.kind)
		out.Write(head[:])
		out.Write(c.data)
		crc := crc32.NewIEEE()
		crc.Write(head[4:])
		crc.Write(c.data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		return fmt.Errorf("qrtest: %w", err)
	}
	return nil
}
