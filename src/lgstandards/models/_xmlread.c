/*
 * The XML binding's native reader (see lgstandards/models/_native.py).
 *
 * Walks an lxml element's libxml2 tree by a model's plan (the element names, order,
 * repetition and attributes _xml.py reads) and writes what the Python reader's dict
 * holds as JSON text: {"Key":"value","Nested":{...},"Repeated":[...]}. Every value is
 * a string, so the JSON decodes to the very dict the Python reader gives. Anything
 * the plain case does not cover (an unknown, missing or misplaced element, a comment,
 * a processing instruction, an entity reference, CDATA beside text, a namespaced
 * attribute, text beside elements) gives LGS_NOT_PLAIN: the caller then reads the
 * element in Python, which gives the value or the error.
 *
 * Only the public ABI of libxml2's nodes (libxml/tree.h) and lxml's element object
 * (lxml/etree.h: PyObject_HEAD, _doc, _c_node) is used: no Python C API, no libxml2
 * function is called, nothing is allocated and the tree is not changed.
 */
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "../_libxml2.h"

/* What a plan says of one attribute, child element or simple content (see _native.py). */
typedef struct lgs_field {
    const char *ns;    /* the namespace name; NULL for none */
    const char *local; /* the local name */
    const char *key;   /* the JSON key with its colon: "\"Key\":" */
    size_t key_size;
    int model;    /* a nested model, read by `plan` */
    int repeated; /* a list */
    int strip;    /* white space stripped from both ends */
    int required;
    const struct lgs_plan *plan;
} lgs_field;

typedef struct lgs_plan {
    const lgs_field *attrs;
    size_t nattrs;
    const lgs_field *elements; /* in the order of the content model */
    size_t nelements;
    const lgs_field *text; /* simple content; NULL for element content */
} lgs_plan;

#define LGS_DEPTH 64 /* nested models; the JSON parser's own limit is deeper */

typedef struct out {
    char *at;
    char *end;
} out;

static int put(out *o, const char *bytes, size_t size) {
    if ((size_t)(o->end - o->at) < size) return LGS_NO_ROOM;
    memcpy(o->at, bytes, size);
    o->at += size;
    return 0;
}

static int put_char(out *o, char c) {
    if (o->at >= o->end) return LGS_NO_ROOM;
    *o->at++ = c;
    return 0;
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static const char HEX[] = "0123456789abcdef";

/* A JSON string of `size` bytes of UTF-8 at `text`, stripped of XML white space if asked. */
static int put_string(out *o, const char *text, size_t size, int strip) {
    const unsigned char *s = (const unsigned char *)text, *e = s + size;
    if (strip) {
        while (s < e && is_space(*s)) s++;
        while (e > s && is_space(e[-1])) e--;
    }
    /* at most six bytes out per byte in, and the two quotes */
    if ((size_t)(o->end - o->at) < (size_t)(e - s) * 6 + 2) {
        /* room enough for the common case is checked at once; otherwise byte by byte */
        if (put_char(o, '"')) return LGS_NO_ROOM;
        for (; s < e; s++) {
            unsigned char c = *s;
            if (c == '"' || c == '\\') {
                char pair[2] = {'\\', (char)c};
                if (put(o, pair, 2)) return LGS_NO_ROOM;
            } else if (c < 0x20) {
                char esc[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
                if (put(o, esc, 6)) return LGS_NO_ROOM;
            } else if (put_char(o, (char)c)) {
                return LGS_NO_ROOM;
            }
        }
        return put_char(o, '"');
    }
    char *w = o->at;
    *w++ = '"';
    for (; s < e; s++) {
        unsigned char c = *s;
        if (c == '"' || c == '\\') {
            *w++ = '\\';
            *w++ = (char)c;
        } else if (c < 0x20) {
            *w++ = '\\';
            *w++ = 'u';
            *w++ = '0';
            *w++ = '0';
            *w++ = HEX[c >> 4];
            *w++ = HEX[c & 15];
        } else {
            *w++ = (char)c;
        }
    }
    *w++ = '"';
    o->at = w;
    return 0;
}

static int only_space(const char *text) {
    if (text == NULL) return 1;
    for (; *text; text++)
        if (!is_space((unsigned char)*text)) return 0;
    return 1;
}

static int read_model(out *o, const lgs_node *element, const lgs_plan *plan, int depth);

static int read_attributes(out *o, const lgs_node *element, const lgs_plan *plan, int *first) {
    size_t found = 0;
    for (const lgs_node *attr = element->properties; attr != NULL; attr = attr->next) {
        if (attr->ns != NULL) return LGS_NOT_PLAIN; /* xsi: and other namespaced attributes */
        const lgs_field *field = NULL;
        for (size_t i = 0; i < plan->nattrs; i++) {
            if (strcmp(attr->name, plan->attrs[i].local) == 0) {
                field = &plan->attrs[i];
                break;
            }
        }
        if (field == NULL) return LGS_NOT_PLAIN;
        const char *text = lgs_plain_text(attr);
        if (text == NULL) return LGS_NOT_PLAIN;
        int r;
        if (!*first && (r = put_char(o, ','))) return r;
        *first = 0;
        if ((r = put(o, field->key, field->key_size))) return r;
        if ((r = put_string(o, text, strlen(text), field->strip))) return r;
        if (field->required) found++;
    }
    size_t required = 0;
    for (size_t i = 0; i < plan->nattrs; i++) required += plan->attrs[i].required != 0;
    return found == required ? 0 : LGS_NOT_PLAIN;
}

static int read_model(out *o, const lgs_node *element, const lgs_plan *plan, int depth) {
    int r, first = 1;
    if (depth > LGS_DEPTH) return LGS_NOT_PLAIN;
    if ((r = put_char(o, '{'))) return r;
    if ((r = read_attributes(o, element, plan, &first))) return r;
    if (plan->text != NULL) {
        const char *text = lgs_plain_text(element);
        if (text == NULL) return LGS_NOT_PLAIN;
        if (!first && (r = put_char(o, ','))) return r;
        if ((r = put(o, plan->text->key, plan->text->key_size))) return r;
        if ((r = put_string(o, text, strlen(text), plan->text->strip))) return r;
        return put_char(o, '}');
    }
    size_t next = 0;      /* the first field a child may still be */
    int open_list = 0;    /* the last field read is repeated: its list is open */
    const lgs_field *last = NULL;
    for (const lgs_node *child = element->children; child != NULL; child = child->next) {
        if (child->type == LGS_TEXT) {
            if (!only_space(child->content)) return LGS_NOT_PLAIN;
            continue;
        }
        if (child->type != LGS_ELEMENT) return LGS_NOT_PLAIN;
        const lgs_field *field = NULL;
        if (last != NULL && last->repeated && lgs_named(child, last->ns, last->local)) {
            field = last;
        } else {
            for (size_t i = next; i < plan->nelements; i++) {
                const lgs_field *candidate = &plan->elements[i];
                if (lgs_named(child, candidate->ns, candidate->local)) {
                    field = candidate;
                    next = i + 1;
                    break;
                }
                if (candidate->required) return LGS_NOT_PLAIN; /* missing, or out of order */
            }
            if (field == NULL) return LGS_NOT_PLAIN;
            if (open_list && (r = put_char(o, ']'))) return r;
            open_list = 0;
            if (!first && (r = put_char(o, ','))) return r;
            first = 0;
            if ((r = put(o, field->key, field->key_size))) return r;
            if (field->repeated) {
                if ((r = put_char(o, '['))) return r;
                open_list = 1;
            }
        }
        if (field == last && (r = put_char(o, ','))) return r; /* the next item of a list */
        last = field;
        if (field->model) {
            if ((r = read_model(o, child, field->plan, depth + 1))) return r;
        } else {
            if (child->properties != NULL) return LGS_NOT_PLAIN;
            const char *text = lgs_plain_text(child);
            if (text == NULL) return LGS_NOT_PLAIN;
            if ((r = put_string(o, text, strlen(text), field->strip))) return r;
        }
    }
    if (open_list && (r = put_char(o, ']'))) return r;
    for (size_t i = next; i < plan->nelements; i++)
        if (plan->elements[i].required) return LGS_NOT_PLAIN;
    return put_char(o, '}');
}

/* Read the lxml element whose object is at `element` (its node at `node_offset`) by
   `plan` into `buffer` as JSON; return its size, LGS_NOT_PLAIN or LGS_NO_ROOM. */
ssize_t lgs_read_json(const char *element, size_t node_offset, const lgs_plan *plan, char *buffer,
                      size_t capacity) {
    const lgs_node *node = lgs_element_node(element, node_offset);
    if (node == NULL || node->type != LGS_ELEMENT) return LGS_NOT_PLAIN;
    out o = {buffer, buffer + capacity};
    int r = read_model(&o, node, plan, 0);
    if (r) return r;
    return o.at - buffer;
}
