package qr

// SceneSkips returns the number of frames whose deep passes d skipped
// because they showed a remembered scene.
func SceneSkips(d *Decoder) int {
	d.scene.mu.Lock()
	defer d.scene.mu.Unlock()
	return d.scene.skipped
}
