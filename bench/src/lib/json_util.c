// SPDX-License-Identifier: GPL-2.0
#include "json_util.h"

#include <math.h>

json_object *json_num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

json_object *json_strv(const struct strv *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->n; i++)
		json_object_array_add(a, json_object_new_string(s->v[i]));
	return a;
}
