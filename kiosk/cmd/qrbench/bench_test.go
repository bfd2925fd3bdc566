package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJudge pins down what counts as a read and as a wrong read.
func TestJudge(t *testing.T) {
	it := item{want: "A\r\n", also: []string{"inner"}}
	for _, c := range []struct {
		texts       []string
		read, wrong bool
	}{
		{nil, false, false},
		{[]string{"A\r\n"}, true, false},
		{[]string{"A"}, false, true}, // bytes differ: trimmed
		{[]string{"inner", "A\r\n"}, true, false},
		{[]string{"A\r\n", "B"}, true, true},
	} {
		read, wrong := judge(it, c.texts)
		if read != c.read || wrong != c.wrong {
			t.Errorf("judge(%q) = %v, %v; want %v, %v", c.texts, read, wrong, c.read, c.wrong)
		}
	}
	if read, wrong := judge(item{}, []string{"x"}); read || !wrong {
		t.Errorf("a text in an image without a code must be wrong")
	}
}

func TestParseZbarXML(t *testing.T) {
	out := []byte(`<barcodes xmlns='http://zbar.sourceforge.net/2008/barcode'>
<source href='f.png'><index num='0'>
<symbol type='QR-Code' quality='1' orientation='UP'><data><![CDATA[BG1:ABC]]></data></symbol>
<symbol type='QR-Code' quality='1'><data format='base64' length='3'><![CDATA[AAEC]]></data></symbol>
</index></source></barcodes>`)
	texts, err := parseZbarXML(out)
	if err != nil || len(texts) != 2 || texts[0] != "BG1:ABC" || texts[1] != "\x00\x01\x02" {
		t.Fatalf("parseZbarXML = %q, %v", texts, err)
	}
}

// TestSmallRun runs the benchmark on a few generated frames and checks
// that it prints the tables.
func TestSmallRun(t *testing.T) {
	var out, errOut bytes.Buffer
	profile := filepath.Join(t.TempDir(), "cpu.pprof")
	err := run(context.Background(), []string{"-photos", "", "-gen", "4", "-empty", "2", "-static", "5", "-repeat", "2",
		"-wild", "2", "-screens", "2", "-wildempty", "1", "-videos", "1", "-fps", "5", "-cpuprofile", profile}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"## generated 640x480 frames with a badge (4 images", "| kiosk/qr | ", "## generated 640x480 frames without a code (2 images",
		"## still scene without a code, frames in order (5 images", "| kiosk/qr, scene memory off | 0 |",
		"## wild generator: printed cards (2 images", "## wild generator: phone screens (2 images", "## wild generator: frames without a code (1 images",
		"## time to first read, 5 fps (1 videos", "| decoder | read within 2s | median ms | p95 ms | never read within 2s |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if fi, err := os.Stat(profile); err != nil || fi.Size() == 0 {
		t.Errorf("-cpuprofile wrote no profile: %v", err)
	}
}

// TestMissedOnlyByFirst lists the images kiosk/qr misses and another
// decoder reads, and only those.
func TestMissedOnlyByFirst(t *testing.T) {
	r := setResult{
		set: imageSet{items: []item{{name: "a"}, {name: "b"}, {name: "c"}, {name: "d"}}},
		outcomes: [][]outcome{
			{{read: true}, {}, {}, {}},           // kiosk/qr
			{{read: true}, {read: true}, {}, {}}, // another
			{{}, {}, {}, {read: true}},           // a third
		},
	}
	got := strings.Join(missedOnlyByFirst(r), " ")
	if got != "b d" {
		t.Fatalf("missedOnlyByFirst = %q, want \"b d\"", got)
	}
}
