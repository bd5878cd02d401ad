package extract

import (
	"io/fs"
	"os"
)

// fsWalk calls fn with the name, relative to root, and contents of every
// file under root.
func fsWalk(root string, fn func(name string, data []byte)) error {
	fsys := os.DirFS(root)
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err == nil {
			fn(name, data)
		}
		return err
	})
}
