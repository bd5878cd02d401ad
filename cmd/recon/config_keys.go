package main

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkKeys rejects a mapping key that the type t of the config does not
// define, naming the file, the key's line and the keys valid there,
// because the decoder's own message names Go types instead. Section is
// the dotted path of node, "" at the top.
func checkKeys(path string, node *yaml.Node, t reflect.Type, section string) error {
	if node.Kind == yaml.DocumentNode {
		for _, child := range node.Content {
			if child.Kind != yaml.MappingNode {
				return fmt.Errorf("config %s:%d: expected a mapping of keys to values, got %s", path, child.Line, nodeKind(child))
			}
			if err := checkKeys(path, child, t, section); err != nil {
				return err
			}
		}
		return nil
	}
	if node.Kind != yaml.MappingNode || t == reflect.TypeFor[yaml.Node]() {
		// checkValueKind rejects a value of the wrong kind, and setParams
		// checks the keys of rules.params.
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return checkStructKeys(path, node, t, section)
	case reflect.Map:
		for i := 0; i+1 < len(node.Content); i += 2 {
			if err := checkEntry(path, node.Content[i], node.Content[i+1], t.Elem(), section); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkStructKeys(path string, node *yaml.Node, t reflect.Type, section string) error {
	names, types := yamlFields(t)
	for i := 0; i+1 < len(node.Content); i += 2 {
		key := node.Content[i]
		field, ok := types[key.Value]
		if !ok {
			return unknownKeyError(path, key, section, names)
		}
		if err := checkEntry(path, key, node.Content[i+1], field, section); err != nil {
			return err
		}
	}
	return nil
}

// checkEntry checks that value fits a field of type t, then checks the
// keys inside it.
func checkEntry(path string, key, value *yaml.Node, t reflect.Type, section string) error {
	name := joinKey(section, key.Value)
	if err := checkValueKind(path, key, value, t, name); err != nil {
		return err
	}
	return checkKeys(path, value, t, name)
}

// checkValueKind rejects a value that the decoder cannot store in a
// field of type t, naming the key and its line, because the decoder's
// own message names Go types instead. A null value leaves the default.
func checkValueKind(path string, key, value *yaml.Node, t reflect.Type, name string) error {
	if value.Kind == yaml.AliasNode {
		value = value.Alias
	}
	if value.Tag == "!!null" || t == reflect.TypeFor[yaml.Node]() {
		// setParams checks the form of rules.params.
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if value.Kind != yaml.ScalarNode {
			return fmt.Errorf("config %s:%d: invalid %s: expected a single value, got %s", path, key.Line, name, nodeKind(value))
		}
	case reflect.Int:
		var n int
		if value.Kind != yaml.ScalarNode {
			return fmt.Errorf("config %s:%d: invalid %s: expected a whole number, got %s", path, key.Line, name, nodeKind(value))
		}
		if err := value.Decode(&n); err != nil {
			return fmt.Errorf("config %s:%d: invalid %s %q: expected a whole number", path, key.Line, name, value.Value)
		}
	case reflect.Struct, reflect.Map:
		if value.Kind != yaml.MappingNode {
			return fmt.Errorf("config %s:%d: invalid %s: expected a mapping of keys to values, got %s",
				path, key.Line, name, nodeKind(value))
		}
	}
	return nil
}

// nodeKind names the kind of a YAML value for messages.
func nodeKind(node *yaml.Node) string {
	switch node.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return "a single value"
}

// keyLines records the line of every key under node, by its dotted path
// such as "rules.custom_dir", so that later checks can name the line.
func keyLines(node *yaml.Node, section string, lines map[string]int) {
	switch node.Kind {
	case yaml.DocumentNode:
		for _, child := range node.Content {
			keyLines(child, section, lines)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			name := joinKey(section, node.Content[i].Value)
			lines[name] = node.Content[i].Line
			keyLines(node.Content[i+1], name, lines)
		}
	}
}

// yamlFields returns the YAML keys of struct type t in field order, and
// the type of each.
func yamlFields(t reflect.Type) ([]string, map[string]reflect.Type) {
	var names []string
	types := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		names = append(names, name)
		types[name] = f.Type
	}
	return names, types
}

func unknownKeyError(path string, key *yaml.Node, section string, valid []string) error {
	where := ""
	if section != "" {
		where = " in " + section
	}
	err := fmt.Errorf("config %s:%d: unknown key %q%s: use %s", path, key.Line, key.Value, where,
		strings.Join(valid, ", "))
	if section == "bigcommerce" && strings.Contains(strings.ToLower(key.Value), "token") {
		err = fmt.Errorf("%w (the access token never goes in the file, so set it in the environment "+
			"variable that token_env names)", err)
	}
	return err
}

func joinKey(section, key string) string {
	if section == "" {
		return key
	}
	return section + "." + key
}
