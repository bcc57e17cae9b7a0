/*
 * Start tags counted in C (see lgstandards/validation/_tagcount.py and starttags.py).
 *
 * In a text holding only start and end tags from a position on (no comment, CDATA
 * section or instruction), the start tags are its '<' less its "</". StartTags counts
 * them a block at a time and marks where each block begins; this does the same in one
 * pass the compiler vectorises. Pure: it reads the bytes given, calls nothing and
 * allocates nothing (no Python C API, no libxml2).
 */
#include <stddef.h>
#include <sys/types.h>

#if defined(__GNUC__) && !defined(__clang__)
#define LGS_VECTORISED __attribute__((optimize("tree-vectorize")))
#else
#define LGS_VECTORISED
#endif

/* The start tags of text[from, to): its '<' less the "</" wholly inside. */
LGS_VECTORISED static size_t lgs_starts(const unsigned char *text, size_t from, size_t to) {
    size_t lt = 0, end_tags = 0;
    if (to <= from) return 0;
    for (size_t i = from; i < to; i++) lt += text[i] == '<';
    for (size_t i = from; i + 1 < to; i++) end_tags += (text[i] == '<') & (text[i + 1] == '/');
    return lt - end_tags;
}

/* Count the start tags of text[position, length) as StartTags._mark_blocks and the
   count after it do. From `position`, with `count` start tags before it: a mark
   (offset, start tags before it) at the start of each block of `block` bytes, a block
   never ending right after a '<'; marks[2m] and marks[2m + 1] get the m-th, for at most
   `most` marks. Returns the number of marks, or -1 when `most` is too few; total[0]
   gets the start tags up to the end, `count` included. */
ssize_t lgs_mark_starts(const unsigned char *text, size_t length, size_t position,
                        size_t count, size_t block, size_t *marks, size_t most,
                        size_t *total) {
    size_t written = 0;
    if (block == 0) return -1;
    for (;;) {
        if (written >= most) return -1;
        marks[2 * written] = position;
        marks[2 * written + 1] = count;
        written++;
        size_t stop = position + block;
        if (stop >= length) break;
        while (stop - 1 < length && text[stop - 1] == '<') stop++;
        count += lgs_starts(text, position, stop < length ? stop : length);
        position = stop;
    }
    total[0] = count + lgs_starts(text, position, length);
    return (ssize_t)written;
}
