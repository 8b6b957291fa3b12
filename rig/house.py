#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rig/house.py: the shape of the series' vmalloc files, checked.

    rig/house.py [--objs BUILD_DIR] FILE.c...

FILEs are paths relative to the tree's top (mm/vmap_area.c), as their
objects are to BUILD_DIR's.

Fails (exit 1), naming each finding, when:
  - a static function is declared before its definition (a forward
    declaration: the file's order fights its call order);
  - two static functions of the files share a name;
  - a function body is longer than MAX_LINES lines;
  - with --objs, the files' objects in BUILD_DIR call each other in a
    circle (the call graph between files, read from the symbols each
    object defines and needs, must be a hierarchy).
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

MAX_LINES = 60

# A function's head in kernel style: at the start of a line, its type and
# then its name and the opening parenthesis; a definition's body opens
# with a "{" alone on a line and closes with a "}" alone on a line.
HEAD = re.compile(r'^(?P<type>[A-Za-z_][\w\s*]*?)\b(?P<name>\w+)\(')
NOT_TYPE = re.compile(r'\b(return|else|if|while|for|switch|sizeof|do|'
                      r'typedef|define)\b')


def strip_comments(text):
    """Blank out comments, directives and strings, keeping the lines."""
    def blank(m):
        return re.sub(r'[^\n]', ' ', m.group(0))
    text = re.sub(r'/\*.*?\*/', blank, text, flags=re.S)
    text = re.sub(r'//[^\n]*', blank, text)
    # Preprocessor lines, continued ones whole: a macro is no function.
    text = re.sub(r'^[ \t]*#(?:[^\n]*\\\n)*[^\n]*', blank, text, flags=re.M)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', blank, text)


def functions(path):
    """Yield (name, is_static, kind, line, body_lines) for each function."""
    lines = strip_comments(open(path).read()).split('\n')
    i = 0
    while i < len(lines):
        m = HEAD.match(lines[i])
        # A macro that defines a variable (DEFINE_PER_CPU(...);) is no
        # function.
        if not m or NOT_TYPE.search(m.group('type')) or \
                not m.group('type').strip() or \
                re.fullmatch(r'[A-Z0-9_]+', m.group('name')):
            i += 1
            continue
        start = i
        # The parameters may go on over several lines.
        while i < len(lines) and not re.search(r'[;{]\s*$|^\{$',
                                               lines[i]) and \
                not (i > start and lines[i] == '{'):
            i += 1
        static = 'static' in m.group('type').split()
        if i < len(lines) and lines[i].rstrip().endswith(';'):
            yield m.group('name'), static, 'decl', start + 1, 0
            i += 1
            continue
        if i + 1 < len(lines) and lines[i + 1] == '{':
            i += 1
        if i >= len(lines) or not lines[i].rstrip().endswith('{'):
            i = start + 1
            continue
        body = i
        while i < len(lines) and lines[i] != '}':
            i += 1
        yield m.group('name'), static, 'def', start + 1, i - body - 1
        i += 1


def check_sources(paths):
    bad = []
    statics = defaultdict(list)
    for path in paths:
        defined = set()
        for name, static, kind, line, body in functions(path):
            where = f'{os.path.relpath(path)}:{line}'
            if kind == 'def':
                defined.add(name)
                if static:
                    statics[name].append(where)
                if body > MAX_LINES:
                    bad.append(f'{where}: {name}() is {body} lines long '
                               f'(at most {MAX_LINES})')
            elif static and name not in defined:
                bad.append(f'{where}: forward declaration of static '
                           f'{name}()')
    for name, wheres in sorted(statics.items()):
        if len(wheres) > 1:
            bad.append(f'static {name}() is defined {len(wheres)} times: '
                       + ', '.join(wheres))
    return bad


def symbols(obj):
    out = subprocess.run(['nm', obj], capture_output=True, text=True,
                         check=True).stdout
    defs, needs = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TDBRGSV':
            defs.add(parts[2])
        elif len(parts) == 2 and parts[0] == 'U':
            needs.add(parts[1])
    return defs, needs


def find_cycle(edges):
    """A list of nodes forming a circle in edges, or None."""
    state = {}

    def visit(node, path):
        state[node] = 'open'
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 'open':
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path)
                if found:
                    return found
        state[node] = 'done'
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def check_objects(paths, build):
    bad = []
    owner, needs = {}, {}
    for path in paths:
        obj = os.path.join(build, os.path.splitext(path)[0] + '.o')
        if not os.path.exists(obj):
            continue
        defs, need = symbols(obj)
        for sym in defs:
            owner[sym] = obj
        needs[obj] = need
    if len(needs) < 2:
        return [f'fewer than two of the objects are built in {build}']
    edges = defaultdict(set)
    why = {}
    for obj, need in needs.items():
        for sym in need:
            dst = owner.get(sym)
            if dst and dst != obj:
                edges[obj].add(dst)
                why.setdefault((obj, dst), sym)
    cycle = find_cycle(edges)
    if cycle:
        steps = [f'{os.path.basename(a)} -> {os.path.basename(b)} '
                 f'({why[(a, b)]})' for a, b in zip(cycle, cycle[1:])]
        bad.append('the files call each other in a circle: '
                   + ', '.join(steps))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--objs', help='build directory holding the objects')
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    bad = check_sources(args.files)
    if args.objs:
        bad += check_objects(args.files, args.objs)
    for line in bad:
        print(f'house: {line}')
    n = len(args.files)
    if bad:
        print(f'house: {len(bad)} finding(s) in {n} file(s)')
        return 1
    print(f'house: {n} file(s): no forward declaration of a static, no '
          f'static name twice, no function over {MAX_LINES} lines'
          + (', no circle between the objects' if args.objs else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
