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
			if err := checkKeys(path, child, t, section); err != nil {
				return err
			}
		}
		return nil
	}
	if node.Kind != yaml.MappingNode || t == reflect.TypeFor[yaml.Node]() {
		// The decoder reports a value of the wrong kind, and setParams
		// checks the keys of rules.params.
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return checkStructKeys(path, node, t, section)
	case reflect.Map:
		for i := 0; i+1 < len(node.Content); i += 2 {
			name := joinKey(section, node.Content[i].Value)
			if err := checkKeys(path, node.Content[i+1], t.Elem(), name); err != nil {
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
		if err := checkKeys(path, node.Content[i+1], field, joinKey(section, key.Value)); err != nil {
			return err
		}
	}
	return nil
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
