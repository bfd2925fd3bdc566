package qr

import "testing"

// TestTriesGiven: the first pass and the inverted scan try everything
// (sharpTries) on a triple with two confirmed patterns or more, and only
// gozxing's and the perspective sampling (fewTries) on spots each seen on
// one row; the other passes' tries do not depend on the finder.
func TestTriesGiven(t *testing.T) {
	for _, c := range []struct {
		t         tries
		confirmed int
		want      tries
	}{
		{firstTries, 0, fewTries},
		{firstTries, 1, fewTries},
		{firstTries, 2, sharpTries},
		{firstTries, 3, sharpTries},
		{firstTries, 7, sharpTries},
		{sharpTries, 0, sharpTries},
		{sharpTries, 3, sharpTries},
		{allTries, 0, allTries},
		{allTries, 3, allTries},
		{fewTries, 0, fewTries},
		{fewTries, 3, fewTries},
	} {
		if got := c.t.given(c.confirmed); got != c.want {
			t.Errorf("tries %d given %d confirmed = %d, want %d", c.t, c.confirmed, got, c.want)
		}
	}
}
