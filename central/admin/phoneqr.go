package admin

import (
	"fmt"
	"strings"

	"github.com/badgeuse/badgeuse/shared/base45"
)

// A QR encoder for one size only: the phone codes' (version 5, error
// correction M, alphanumeric mode, mask 0). The page of a phone badge
// gets two days of codes, 5760 of them, drawn here: a general encoder
// (go-qrcode) tries the eight masks of each and took 7.5 ms a code, 43 s
// an answer; one fixed mask (any mask is valid, readers read the mask in
// the format bits) takes a few microseconds. The layout follows ISO/IEC
// 18004 as Project Nayuki's reference encoder writes it;
// TestPhoneQRDecodes reads every size of text back with another decoder.

const (
	pqVersion   = 5
	pqSize      = 17 + 4*pqVersion // 37 modules a side
	pqBlocks    = 2                // error correction M at version 5
	pqDataBlock = 43               // data codewords per block
	pqECBlock   = 24               // error correction codewords per block
	pqData      = pqBlocks * pqDataBlock
	pqMask      = 0
	pqAlign     = 30 // version 5's one alignment pattern, at (30, 30)
	// pqMaxText is the most alphanumeric characters version 5-M holds.
	pqMaxText = 122
)

// phoneQR returns the modules of text (QR alphanumeric characters, at most
// pqMaxText), row by row, true for dark, without quiet zone.
func phoneQR(text string) ([pqSize][pqSize]bool, error) {
	var m, fn [pqSize][pqSize]bool // [y][x]
	if len(text) > pqMaxText {
		return m, fmt.Errorf("phone QR: %d characters, version 5-M holds %d", len(text), pqMaxText)
	}
	// Data: mode 0010, 9-bit count, pairs in 11 bits, a last one in 6.
	var bits []bool
	put := func(v, n int) {
		for i := n - 1; i >= 0; i-- {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	put(0b0010, 4)
	put(len(text), 9)
	for i := 0; i < len(text); i += 2 {
		a := strings.IndexByte(base45.Alphabet, text[i])
		if a < 0 {
			return m, fmt.Errorf("phone QR: %q is not alphanumeric", text[i])
		}
		if i+1 == len(text) {
			put(a, 6)
			break
		}
		b := strings.IndexByte(base45.Alphabet, text[i+1])
		if b < 0 {
			return m, fmt.Errorf("phone QR: %q is not alphanumeric", text[i+1])
		}
		put(a*45+b, 11)
	}
	put(0, min(4, pqData*8-len(bits))) // terminator
	for len(bits)%8 != 0 {
		bits = append(bits, false)
	}
	data := make([]byte, 0, pqData)
	for i := 0; i < len(bits); i += 8 {
		var c byte
		for j := 0; j < 8; j++ {
			if bits[i+j] {
				c |= 0x80 >> j
			}
		}
		data = append(data, c)
	}
	for pad := byte(0xEC); len(data) < pqData; pad ^= 0xEC ^ 0x11 {
		data = append(data, pad)
	}
	// Two blocks with their Reed-Solomon codewords, interleaved.
	div := pqDivisor
	var blocks [pqBlocks][]byte
	for i := range blocks {
		d := data[i*pqDataBlock : (i+1)*pqDataBlock]
		blocks[i] = append(append([]byte(nil), d...), rsRemainder(d, div)...)
	}
	codewords := make([]byte, 0, pqBlocks*(pqDataBlock+pqECBlock))
	for i := 0; i < pqDataBlock+pqECBlock; i++ {
		for _, b := range blocks {
			codewords = append(codewords, b[i])
		}
	}

	set := func(x, y int, dark bool) { m[y][x], fn[y][x] = dark, true }
	for i := 0; i < pqSize; i++ { // timing patterns
		set(6, i, i%2 == 0)
		set(i, 6, i%2 == 0)
	}
	for _, c := range [][2]int{{3, 3}, {pqSize - 4, 3}, {3, pqSize - 4}} { // finders and separators
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x >= 0 && x < pqSize && y >= 0 && y < pqSize {
					d := max(abs(dx), abs(dy))
					set(x, y, d != 2 && d != 4)
				}
			}
		}
	}
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			set(pqAlign+dx, pqAlign+dy, max(abs(dx), abs(dy)) != 1)
		}
	}
	// Format bits: level M (00) and the mask, BCH-protected, masked.
	f := 0<<3 | pqMask
	rem := f
	for i := 0; i < 10; i++ {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	format := (f<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return format>>i&1 == 1 }
	for i := 0; i <= 5; i++ {
		set(8, i, bit(i))
	}
	set(8, 7, bit(6))
	set(8, 8, bit(7))
	set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		set(14-i, 8, bit(i))
	}
	for i := 0; i < 8; i++ {
		set(pqSize-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		set(8, pqSize-15+i, bit(i))
	}
	set(8, pqSize-8, true) // the dark module
	// Codewords in the zigzag of two-module columns, right to left.
	i := 0
	for right := pqSize - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := 0; vert < pqSize; vert++ {
			for j := 0; j < 2; j++ {
				x := right - j
				y := vert
				if (right+1)&2 == 0 { // upward
					y = pqSize - 1 - vert
				}
				if !fn[y][x] && i < len(codewords)*8 {
					m[y][x] = codewords[i>>3]>>(7-i&7)&1 == 1
					i++
				}
			}
		}
	}
	for y := range m { // mask 0: (x + y) even
		for x := range m[y] {
			if !fn[y][x] && (x+y)%2 == 0 {
				m[y][x] = !m[y][x]
			}
		}
	}
	return m, nil
}

// pqDivisor is the generator polynomial of the 24 codewords of a block.
var pqDivisor = rsDivisor(pqECBlock)

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// gfMul multiplies in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
func gfMul(x, y byte) byte {
	var z int
	for i := 7; i >= 0; i-- {
		z = z<<1 ^ (z>>7)*0x11D
		z ^= int(y>>i&1) * int(x)
	}
	return byte(z)
}

// rsDivisor returns the Reed-Solomon generator polynomial of a degree,
// highest coefficient first, the leading 1 left out.
func rsDivisor(degree int) []byte {
	r := make([]byte, degree)
	r[degree-1] = 1
	root := byte(1)
	for i := 0; i < degree; i++ {
		for j := range r {
			r[j] = gfMul(r[j], root)
			if j+1 < degree {
				r[j] ^= r[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return r
}

// rsRemainder returns the error correction codewords of data.
func rsRemainder(data, div []byte) []byte {
	r := make([]byte, len(div))
	for _, b := range data {
		factor := b ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		for i, c := range div {
			r[i] ^= gfMul(c, factor)
		}
	}
	return r
}
