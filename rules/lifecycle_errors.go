package rules

import "errors"

// Errors of the lifecycle actions. Each is wrapped with the value that
// caused it.
var (
	// ErrNoLifecycle is returned when no run has updated the lifecycle.
	ErrNoLifecycle = errors.New("no run has recorded exceptions yet")
	// ErrUnknownFingerprint is returned for a fingerprint, or a prefix of
	// one, that matches no exception.
	ErrUnknownFingerprint = errors.New("unknown fingerprint")
	// ErrAmbiguousFingerprint is returned for a prefix that matches more
	// than one exception.
	ErrAmbiguousFingerprint = errors.New("ambiguous fingerprint prefix")
	// ErrInvalidAcceptance is returned for an acceptance without a note
	// or with an expiry that is not after the latest run's as-of time.
	ErrInvalidAcceptance = errors.New("invalid acceptance")
)
