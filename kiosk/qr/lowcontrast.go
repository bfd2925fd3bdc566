package qr

// Low-contrast codes (issue 16): a card printed in gray ink, faded, or
// seen in a dim room, whose dark and light modules are 20 to 60 gray
// levels apart. ZXing's hybrid binarizer takes an 8x8 block whose range
// is 24 levels or less as flat background and gives it half its minimum
// as black point; the threshold of every pixel is the mean of the black
// points of the 5x5 blocks around it. Next to flat blocks (the code's
// quiet zone, a plain wall) that mean falls below a low-contrast code's
// dark modules: the finder patterns' outer rings and the code's edges
// turn light, and the finder sees nothing. The low-contrast binarizer is
// the same but for one thing: a flat block's black point is just below
// its minimum, so a flat area stays light and its neighbours' thresholds
// stay between their own dark and light.
//
// As the first pass it read more wild cards (qrbench seed 1: 164-167 of
// 200 instead of 157) but fewer of the rest (163-165 of the 179 real
// photos instead of 169, 223-235 generated frames instead of 238, with
// the flat black point 1, 8, 24 or 40 levels below the minimum) and gave
// more hints on empty frames; as a second scan of every frame, or of the
// frames with a weak hint, it costs 0.3 ms or more per empty frame (half
// of the first pass; textures on walls give a weak hint on a third of
// qrbench's generated empty frames), and no cheap statistic of the blocks
// told the frames it reads from the empty ones. So it runs in the deep
// passes after a strong hint only, last: frames read before it pay
// nothing, and few empty frames get there (2 of qrbench's 100 generated
// empty frames, none of its 50 wild rooms: 1% of their decoding time).
// It tries less on a code it finds but cannot read (fewTries): that read
// as much on wild seeds 1, 7 and 11.
//
// After a weak hint, the second of the two cheap passes (the frame with a
// 3x3 blur) binarizes for low contrast instead of with the hybrid
// binarizer, and with the hybrid one too only when that shows a strong
// hint and no code (one of TestHardFrames' frames). That costs the same
// (2.0 ms mean on qrbench's generated empty frames, 0.85 on its wild
// rooms, either way) and read more: wild cards seed 1 171 -> 176, 97 170
// -> 171, 131 169 -> 173; Render frames 242 -> 243; photos 174 both.

// newLowContrastBinarizer returns the hybrid binarizer with flat blocks'
// black points just below their minimum.
func newLowContrastBinarizer(src *grayLuminance) *hybridBinarizer {
	b := newHybridBinarizer(src).(*hybridBinarizer)
	b.flatAtMin = true
	return b
}

// scanLowContrast reads src binarized for low contrast.
func scanLowContrast(src *grayLuminance, t tries) scan {
	return scanImage(binaryBitmap(newLowContrastBinarizer(src)), t)
}
