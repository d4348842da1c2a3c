/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strings quoted for the languages invlab writes programs and documents
 * in by hand: a POSIX shell word and a YAML double-quoted scalar. Each
 * returns a malloc'd string, the quotes included, that reads back as s
 * exactly, whatever s holds.
 */
#ifndef INVLAB_QUOTE_H
#define INVLAB_QUOTE_H

/* 'it'\''s': one sh word, nothing in it expanded. */
char *sh_quote(const char *s);
/*
 * "a \"b\"\n": a YAML double-quoted scalar (YAML 1.1 and 1.2): \ and "
 * escaped, control characters, DEL and the Unicode line breaks as escapes,
 * so it stays on one line.
 */
char *yaml_quote(const char *s);

#endif
