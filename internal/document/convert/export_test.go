package convert

import "testing"

// Hold takes every conversion slot until the test ends.
func (c *Converter) Hold(t *testing.T) {
	for range cap(c.slots) {
		c.slots <- struct{}{}
	}
	t.Cleanup(func() {
		for range cap(c.slots) {
			<-c.slots
		}
	})
}
