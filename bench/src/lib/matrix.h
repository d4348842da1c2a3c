/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A suite's [matrix]: swept parameters, each with its values in file
 * order. Every combination is a cell, on every kernel; the workload sees
 * each parameter as an environment variable named in upper case (fio job
 * files use ${BS}, ${IODEPTH}).
 */
#ifndef INVLAB_MATRIX_H
#define INVLAB_MATRIX_H

#include <stddef.h>

#include "conf.h"
#include "util.h"

struct matrix_param {
	char *name;
	struct strv values;
};

struct matrix {
	char *suite; /* the suite's name, for errors */
	struct matrix_param *params;
	size_t n;
};

/* [matrix]'s keys, for a suite's table (conf_check): any parameter name,
 * its values a list, each value once.
 */
extern const struct conf_key matrix_keys[];

/* Read c's [matrix] (checked against matrix_keys); errors name c's file,
 * line and key.
 */
int matrix_load(const struct conf *c, const char *suite, struct matrix *m,
		char *err, size_t err_len);
void matrix_free(struct matrix *m);
/* Parameter combinations: the product of the value counts (1 without a
 * matrix).
 */
size_t matrix_combinations(const struct matrix *m);
/* The idx-th combination as "name=value,name=value" (the first parameter
 * varies slowest); "" without a matrix.
 */
char *matrix_combination(const struct matrix *m, size_t idx);
/*
 * Check a combination string against the matrix (every parameter once,
 * each value one the suite lists) and add its "name=value" pairs to kv.
 * NULL or "" is accepted only when no parameter has more than one value,
 * and then means each parameter's single value.
 */
int matrix_parse_combination(const struct matrix *m, const char *str,
			     struct strv *kv, char *err, size_t err_len);
/*
 * Expand ${NAME} in tmpl from kv ("name=value"; NAME is the name in upper
 * case, as job files see it). NULL when a name is not in kv.
 */
char *matrix_expand(const char *tmpl, const struct strv *kv);

#endif
