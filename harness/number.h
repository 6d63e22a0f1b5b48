/*
 * number.h — the one reader of the whole numbers a user writes, on the
 * command line (--ops, --reps, --seed, -j, --max-memory, lists) and in sweep
 * files (ops = ..., [ops], [knobs], [params]), so that both accept the same
 * text and mean the same by it.
 *
 * Grammar (the whole text, nothing around it):
 *     number := ['-'] digits ['.' digits] [suffix]
 *     suffix := 'k' | 'K' | 'M' | 'G'      (x unit, unit^2, unit^3)
 * with unit 1000 for counts ("10k" = 10,000, "2M", "1.5k" = 1,500) and 1024
 * for sizes ("512M", "4G").  The value must be whole after scaling and fit in
 * an int64_t.  No '+', no hexadecimal or exponent, no spaces: "+0x10",
 * "0x10", " 10", "1e3" are refused, not read as something else.  A '-' is
 * read so that a range check can say "out of range" rather than "not a
 * number".
 */
#ifndef GCT_NUMBER_H
#define GCT_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GCT_NUMBER_COUNT 1000 /* unit of k/M/G for counts */
#define GCT_NUMBER_SIZE 1024  /* ... for sizes in bytes */

/* Read text[0 .. len) as above.  False if it is not such a number. */
bool gct_number_parse(const char *text, size_t len, int64_t unit, int64_t *out);

#endif
