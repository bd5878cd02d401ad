package rules

import "errors"

// ErrInvalidParam is wrapped by every error Params.Validate returns.
var ErrInvalidParam = errors.New("invalid rule parameter")

// ErrRunNotFound is returned by Evaluate when the run has no snapshots.
var ErrRunNotFound = errors.New("run has no snapshots")
