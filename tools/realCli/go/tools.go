//go:build tools

// The real-CLI tier's wrapper module: it requires the Pulumi CLI at the version @pulumi/pulumi
// is pinned to and repeats the one replace directive of pkg/go.mod that is not a relative path
// (github.com/atotto/clipboard), which `go install pkg@version` cannot honour. This import keeps
// `go mod tidy` from dropping the requirement. Built by tools/realCli/install.ts.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
