/*
 * A batch's record columns read in C (see lgstandards/rules/_columns.py).
 *
 * Walks an lxml element's libxml2 subtree once (the element itself first, in document
 * order, as lxml's iter() does) and gives, for each column (an element name), the text
 * of each record's own child of that name (a record: an element named
 * `record_ns`/`record_local`) and, on a further call, the texts of those outside records
 * (a header's, a trailer's). A record holds at most one child of each name, whose
 * content is at most one text or CDATA node; a record holds no record; no column is the
 * records' own name. Anything else gives LGS_NOT_PLAIN and the caller reads the columns
 * in Python.
 *
 * Only the public ABI of libxml2's nodes (libxml/tree.h) and lxml's element object
 * (lxml/etree.h) is read: no Python C API, no libxml2 call, nothing allocated or changed.
 */
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "../_libxml2.h"

#define LGS_MOST_COLUMNS 32

/* Read the columns of the element whose lxml object is at `element` (its node at
   `node_offset`): the `k` names `nss[j]`/`locals[j]` (a NULL namespace: none).

   `outside` -1: for each record in turn, write its value of each column in order,
   each followed by a NUL byte ("" for a record without one), and mark in `present`
   (k bytes a record, room for `most` records) the values it has. `outside` j: write
   the texts of column j's elements outside records so. `counts` gets the records, then
   for each column the records with a value and the elements outside records. Returns
   the bytes written, LGS_NOT_PLAIN or LGS_NO_ROOM. */
ssize_t lgs_columns(const char *element, size_t node_offset, const char *record_ns,
                    const char *record_local, size_t k, const char *const *nss,
                    const char *const *locals, int outside, char *buffer, size_t capacity,
                    unsigned char *present, size_t most, size_t *counts) {
    const lgs_node *root = lgs_element_node(element, node_offset);
    if (root == NULL || root->type != LGS_ELEMENT || k == 0 || k > LGS_MOST_COLUMNS)
        return LGS_NOT_PLAIN;
    for (size_t j = 0; j < k; j++)
        if (lgs_same_ns(record_ns, nss[j]) && strcmp(record_local, locals[j]) == 0)
            return LGS_NOT_PLAIN; /* the records themselves: not a column */
    char *at = buffer, *end = buffer + capacity;
    size_t records = 0;
    const char *slot[LGS_MOST_COLUMNS];
    for (size_t j = 0; j < 1 + 2 * k; j++) counts[j] = 0;
    const lgs_node *record = NULL; /* the record being walked, if any */
    const lgs_node *node = root;
    for (;;) {
        if (lgs_named(node, record_ns, record_local)) {
            if (record != NULL) return LGS_NOT_PLAIN; /* a record in a record */
            if (records >= most) return LGS_NOT_PLAIN;
            memset(present + records * k, 0, k);
            for (size_t j = 0; j < k; j++) slot[j] = NULL;
            records++;
            record = node;
        } else {
            for (size_t j = 0; j < k; j++) {
                if (!lgs_named(node, nss[j], locals[j])) continue;
                const char *text = lgs_plain_text(node);
                if (text == NULL) return LGS_NOT_PLAIN;
                if (record != NULL && node->parent == record) {
                    if (slot[j] != NULL) return LGS_NOT_PLAIN; /* two in one record */
                    slot[j] = text;
                    present[(records - 1) * k + j] = 1;
                    counts[1 + 2 * j]++;
                } else {
                    counts[2 + 2 * j]++;
                    if (outside == (int)j) {
                        size_t size = strlen(text);
                        if ((size_t)(end - at) < size + 1) return LGS_NO_ROOM;
                        memcpy(at, text, size);
                        at += size;
                        *at++ = '\0';
                    }
                }
                break;
            }
        }
        /* the next element in document order, below `root`; a record left is written */
        const lgs_node *next = node->children;
        while (next != NULL && next->type != LGS_ELEMENT) next = next->next;
        while (next == NULL) {
            if (node == record) {
                record = NULL;
                if (outside < 0) {
                    for (size_t j = 0; j < k; j++) {
                        const char *text = slot[j] ? slot[j] : "";
                        size_t size = strlen(text);
                        if ((size_t)(end - at) < size + 1) return LGS_NO_ROOM;
                        memcpy(at, text, size);
                        at += size;
                        *at++ = '\0';
                    }
                }
            }
            if (node == root) break;
            next = node->next;
            while (next != NULL && next->type != LGS_ELEMENT) next = next->next;
            if (next == NULL) node = node->parent;
        }
        if (next == NULL) break;
        node = next;
    }
    counts[0] = records;
    return at - buffer;
}
