/*
 * The fields of libxml2's tree nodes that the package's C reads (libxml/tree.h: its
 * public ABI, declared here so that no libxml2 headers are needed to build), and the
 * helpers the readers share. Included by models/_xmlread.c and rules/_columns.c.
 */
#ifndef LGS_LIBXML2_H
#define LGS_LIBXML2_H

#include <string.h>

/* xmlNs, up to the fields read. */
typedef struct lgs_ns {
    struct lgs_ns *next;
    int type;
    const char *href;
    const char *prefix;
} lgs_ns;

/* xmlNode, up to the fields read; an xmlAttr begins the same way, to `ns`. */
typedef struct lgs_node {
    void *private_;
    int type;
    const char *name;
    struct lgs_node *children;
    struct lgs_node *last;
    struct lgs_node *parent;
    struct lgs_node *next;
    struct lgs_node *prev;
    void *doc;
    lgs_ns *ns;
    const char *content;
    struct lgs_node *properties; /* an element's first attribute */
} lgs_node;

/* xmlElementType, the values read. */
enum { LGS_ELEMENT = 1, LGS_ATTRIBUTE = 2, LGS_TEXT = 3, LGS_CDATA = 4 };

/* What a reader gives for an input it leaves to Python, and for a full buffer
   (lgstandards/_clib.py: NOT_PLAIN, NO_ROOM). */
#define LGS_NOT_PLAIN (-1)
#define LGS_NO_ROOM (-2)

/* The libxml2 node of the lxml element object at `element` (its node at `node_offset`,
   lxml/etree.h: struct LxmlElement {PyObject_HEAD; _doc; _c_node; _tag}). */
static inline const lgs_node *lgs_element_node(const char *element, size_t node_offset) {
    return *(const lgs_node *const *)(element + node_offset);
}

/* Whether two namespace names are the same (NULL: no namespace). */
static inline int lgs_same_ns(const char *a, const char *b) {
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Whether `node` is named `local` in the namespace `ns` (NULL: none). */
static inline int lgs_named(const lgs_node *node, const char *ns, const char *local) {
    if (node->name[0] != local[0] || strcmp(node->name, local) != 0) return 0;
    return lgs_same_ns(node->ns != NULL ? node->ns->href : NULL, ns);
}

/* The text of a node whose content is at most one text or CDATA node ("" for none);
   NULL for any other content. */
static inline const char *lgs_plain_text(const lgs_node *node) {
    const lgs_node *child = node->children;
    if (child == NULL) return "";
    if (child->next != NULL || (child->type != LGS_TEXT && child->type != LGS_CDATA)) return NULL;
    return child->content != NULL ? child->content : "";
}

#endif
