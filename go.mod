module github.com/recon-tools/recon

go 1.26.0

require github.com/shopspring/decimal v1.6.0

require github.com/urfave/cli/v3 v3.14.0 // indirect
