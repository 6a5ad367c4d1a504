/* dict.c — string dictionaries: open addressing over codes, FNV-1a (dict.h). */
#include <audit/dict.h>

#include <stdlib.h>
#include <string.h>

struct aud_dict {
	char **str;
	size_t *len;
	size_t n, cap;
	int32_t *slot;   /* -1 empty */
	size_t nslot;    /* power of two */
};

static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(1469598103934665603);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

int
aud_dict_new(struct aud_dict **out, struct aud_error *err)
{
	struct aud_dict *d;
	size_t i;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	d->nslot = 16;
	d->slot = malloc(d->nslot * sizeof(*d->slot));
	if (d->slot == NULL) {
		free(d);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < d->nslot; i++)
		d->slot[i] = -1;
	*out = d;
	return 0;
}

void
aud_dict_free(struct aud_dict *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->str[i]);
	free(d->str);
	free(d->len);
	free(d->slot);
	free(d);
}

int32_t
aud_dict_find(const struct aud_dict *d, const char *s, size_t len)
{
	size_t mask = d->nslot - 1, i = (size_t)hash(s, len) & mask;

	for (;;) {
		int32_t c = d->slot[i];

		if (c < 0)
			return -1;
		if (d->len[c] == len && memcmp(d->str[c], s, len) == 0)
			return c;
		i = (i + 1) & mask;
	}
}

static int
rehash(struct aud_dict *d, struct aud_error *err)
{
	size_t n = d->nslot * 2, i, mask = n - 1;
	int32_t *slot = malloc(n * sizeof(*slot));

	if (slot == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		slot[i] = -1;
	for (i = 0; i < d->n; i++) {
		size_t j = (size_t)hash(d->str[i], d->len[i]) & mask;

		while (slot[j] >= 0)
			j = (j + 1) & mask;
		slot[j] = (int32_t)i;
	}
	free(d->slot);
	d->slot = slot;
	d->nslot = n;
	return 0;
}

int
aud_dict_intern(int32_t *out, struct aud_dict *d, const char *s, size_t len,
    struct aud_error *err)
{
	int32_t c = aud_dict_find(d, s, len);
	size_t j, mask;
	int rc;

	if (c >= 0) {
		*out = c;
		return 0;
	}
	if (d->n >= INT32_MAX - 1)
		return AUD_ERROR(err, AUD_EINVAL, "too many distinct values");
	if ((d->n + 1) * 2 > d->nslot) {
		rc = rehash(d, err);
		if (rc < 0)
			return rc;
	}
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		char **ns = realloc(d->str, ncap * sizeof(*ns));
		size_t *nl;

		if (ns == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		d->str = ns;
		nl = realloc(d->len, ncap * sizeof(*nl));
		if (nl == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		d->len = nl;
		d->cap = ncap;
	}
	d->str[d->n] = malloc(len + 1);
	if (d->str[d->n] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	memcpy(d->str[d->n], s, len);
	d->str[d->n][len] = '\0';
	d->len[d->n] = len;
	mask = d->nslot - 1;
	j = (size_t)hash(s, len) & mask;
	while (d->slot[j] >= 0)
		j = (j + 1) & mask;
	d->slot[j] = (int32_t)d->n;
	*out = (int32_t)d->n++;
	return 0;
}

int
aud_dict_clone(struct aud_dict **out, const struct aud_dict *d, struct aud_error *err)
{
	struct aud_dict *c = NULL;
	size_t i;
	int32_t code;
	int rc;

	*out = NULL;
	rc = aud_dict_new(&c, err);
	for (i = 0; rc == 0 && i < d->n; i++)
		rc = aud_dict_intern(&code, c, d->str[i], d->len[i], err);
	if (rc < 0) {
		aud_dict_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

const char *
aud_dict_str(const struct aud_dict *d, int32_t code)
{
	return code >= 0 && (size_t)code < d->n ? d->str[code] : NULL;
}

size_t
aud_dict_size(const struct aud_dict *d)
{
	return d->n;
}
