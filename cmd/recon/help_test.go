package main

import (
	"strings"
	"testing"
)

func TestHelpBaseURLPlaceholder(t *testing.T) {
	for _, command := range [][]string{{"run", "--help"}, {"extract", "bigcommerce", "--help"}} {
		out := runRecon(t, command...)

		if !strings.Contains(out.stdout, "   --base-url string    ") {
			t.Errorf("%s: --base-url lacks the string placeholder:\n%s", command[0], out.stdout)
		}
		if strings.Contains(out.stdout, "`") {
			t.Errorf("%s: help has a backquote:\n%s", command[0], out.stdout)
		}
	}
}

func TestHelpRunStoreOnlyFlags(t *testing.T) {
	out := runRecon(t, "run", "--help")

	for _, flag := range []string{"--base-url string", "--store-hash string", "--workers int", "--since string", "--full"} {
		line := helpLine(out.stdout, flag)
		if !strings.Contains(line, "only with --store: ") {
			t.Errorf("help of %s lacks \"only with --store\": %q", flag, line)
		}
	}
}

// helpLine returns the line of help that describes flag.
func helpLine(help, flag string) string {
	for _, line := range strings.Split(help, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), flag+" ") {
			return line
		}
	}
	return ""
}

func TestHelpFingerprintCommands(t *testing.T) {
	accept := runRecon(t, "accept", "--help")
	ack := runRecon(t, "ack", "--help")

	if !strings.HasSuffix(helpLine(accept.stdout, "--until string"), "(required)") {
		t.Errorf("--until help does not end in (required): %q", helpLine(accept.stdout, "--until string"))
	}
	if !strings.HasSuffix(helpLine(accept.stdout, "--note string"), "(required)") {
		t.Errorf("--note help does not end in (required): %q", helpLine(accept.stdout, "--note string"))
	}
	for name, help := range map[string]string{"accept": accept.stdout, "ack": ack.stdout} {
		text := strings.Join(strings.Fields(help), " ")
		if !strings.Contains(text, "prefix of at least 4 hexadecimal characters") {
			t.Errorf("%s help lacks the hexadecimal prefix rule:\n%s", name, help)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"short prefix", []string{"ack", "92"},
			`fingerprint prefix "92" is too short: give at least 4 hexadecimal characters, ` +
				"as listed in the report or by 'recon explain'"},
		{"not hexadecimal", []string{"ack", "92xz"},
			`invalid fingerprint "92xz": fingerprints are hexadecimal, 0-9 and a-f, ` +
				"as listed in the report or by 'recon explain'"},
		{"blank note", []string{"accept", "abcd", "--note", " ", "--until", "2027-01-01"},
			"invalid --note: give the reason the exception is accepted"},
		{"log level", []string{"--log-level", "verbose", "rules", "list"},
			`invalid --log-level "verbose": use debug, info, warn or error`},
		{"log format", []string{"--log-format", "xml", "rules", "list"},
			`invalid --log-format "xml": use text or json`},
	}
	for _, flag := range [][]string{{"--since", "2026-11-01"}, {"--full"}, {"--workers", "2"},
		{"--base-url", "http://127.0.0.1:1"}, {"--store-hash", "abc"}} {
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"run " + flag[0], append([]string{"run"}, flag...),
			flag[0] + " applies only with --store: add --store to read BigCommerce live, or drop " +
				flag[0] + " (see 'recon run --help')"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runRecon(t, c.args...)

			if out.code != 1 {
				t.Errorf("exit code %d, want 1", out.code)
			}
			if out.stderr != "recon: "+c.want+"\n" {
				t.Errorf("stderr %q, want %q", out.stderr, "recon: "+c.want+"\n")
			}
			if out.stdout != "" {
				t.Errorf("stdout %q, want nothing", out.stdout)
			}
		})
	}
}
