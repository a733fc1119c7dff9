/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pseudo-random numbers of the C test tools (storm, nlfuzz): the
 * same sequence for the same seed, set in rng_state (odd, not zero).
 */
#ifndef SIPCODE_TESTS_RND_H
#define SIPCODE_TESTS_RND_H

#include <stdint.h>

static uint64_t rng_state = 1;

/* xorshift64*: fast, and the same output for the same seed. */
static inline uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static inline unsigned int rnd_below(unsigned int n)
{
	return n ? (unsigned int)(rnd() >> 32) % n : 0;
}

#endif /* SIPCODE_TESTS_RND_H */
