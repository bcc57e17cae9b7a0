/*
 * A libxml2 structured error handler that keeps each error without Python.
 *
 * lgstandards.validation.treeschema validates a tree in a helper thread, which holds
 * no GIL while libxml2 runs. A Python (ctypes) handler needs the GIL for each error,
 * and waits for it while the calling thread is in a long C call: 1,000 errors in a
 * 100,000-record batch made the whole check 40 % slower. This handler copies what the
 * Python side reads of each error (domain, code, line, node, message) into memory of
 * its own; the Python side reads it all once validation has ended.
 *
 * Built by hatch_build.py into the wheel (or the source tree, for an editable install)
 * as a plain shared library loaded with ctypes; without it, treeschema uses its
 * Python handler. Only the public ABI of libxml2's xmlError (xmlerror.h) is used, as
 * treeschema's ctypes structure does.
 */
#include <stdlib.h>
#include <string.h>

typedef struct {
    int domain;
    int code;
    char *message;
    int level;
    char *file;
    int line;
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
    void *ctxt;
    void *node;
} lgs_xml_error;

/* One error: six 64-bit integers (read from Python as an array of "q"). */
typedef struct {
    long long domain;
    long long code;
    long long line;
    long long node;
    long long offset; /* of the message in the sink's text */
    long long length; /* of the message, -1 for none */
} lgs_error;

typedef struct {
    lgs_error *errors;
    size_t count;
    size_t capacity;
    char *text;
    size_t used;
    size_t room;
    int lost; /* memory ran out: the errors are incomplete */
} lgs_sink;

lgs_sink *lgs_sink_new(void) { return calloc(1, sizeof(lgs_sink)); }

void lgs_sink_free(lgs_sink *sink) {
    if (sink == NULL) {
        return;
    }
    free(sink->errors);
    free(sink->text);
    free(sink);
}

size_t lgs_sink_count(const lgs_sink *sink) { return sink->count; }

const lgs_error *lgs_sink_errors(const lgs_sink *sink) { return sink->errors; }

const char *lgs_sink_text(const lgs_sink *sink) { return sink->text; }

size_t lgs_sink_text_size(const lgs_sink *sink) { return sink->used; }

int lgs_sink_lost(const lgs_sink *sink) { return sink->lost; }

static int grow_errors(lgs_sink *sink) {
    size_t capacity = sink->capacity ? sink->capacity * 2 : 64;
    lgs_error *grown;
    if (capacity > ((size_t)-1) / sizeof(lgs_error)) {
        return 0;
    }
    grown = realloc(sink->errors, capacity * sizeof(lgs_error));
    if (grown == NULL) {
        return 0;
    }
    sink->errors = grown;
    sink->capacity = capacity;
    return 1;
}

static int grow_text(lgs_sink *sink, size_t length) {
    size_t room = sink->room ? sink->room : 4096;
    char *grown;
    if (length > ((size_t)-1) / 2 - sink->used) {
        return 0;
    }
    while (room < sink->used + length) {
        room *= 2;
    }
    grown = realloc(sink->text, room);
    if (grown == NULL) {
        return 0;
    }
    sink->text = grown;
    sink->room = room;
    return 1;
}

/* The handler: xmlStructuredErrorFunc, with the sink as its user data. */
void lgs_sink_receive(void *data, const lgs_xml_error *error) {
    lgs_sink *sink = data;
    lgs_error *kept;
    size_t length;
    if (sink == NULL || error == NULL || sink->lost) {
        return;
    }
    if (sink->count == sink->capacity && !grow_errors(sink)) {
        sink->lost = 1;
        return;
    }
    length = error->message != NULL ? strlen(error->message) : 0;
    if (sink->used + length > sink->room && !grow_text(sink, length)) {
        sink->lost = 1;
        return;
    }
    kept = &sink->errors[sink->count++];
    kept->domain = error->domain;
    kept->code = error->code;
    kept->line = error->line;
    kept->node = (long long)(size_t)error->node;
    kept->offset = (long long)sink->used;
    kept->length = error->message != NULL ? (long long)length : -1;
    if (length) {
        memcpy(sink->text + sink->used, error->message, length);
        sink->used += length;
    }
}
