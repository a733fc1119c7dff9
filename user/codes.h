/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIP status-code table of data/, turned into C at build time by
 * scripts/gen-codes.sh (codes.c is generated, never edited).
 */
#ifndef SIPCODE_CODES_H
#define SIPCODE_CODES_H

struct sip_code_info {
	unsigned short code;	/* 100-699 */
	const char *reason;	/* standard reason phrase: "Busy Here" */
	const char *meaning;	/* one or two sentences */
	const char *rfc;	/* "RFC 3261", or "" where unknown */
};

/* A reason phrase met in the field for a code, with what it means. */
struct sip_phrase_info {
	unsigned short code;
	const char *phrase;	/* "No money left" */
	const char *meaning;	/* "insufficient funds on the account" */
};

/* Ascending by code. */
extern const struct sip_code_info sip_codes[];
extern const unsigned int sip_ncodes;

/* Ascending by code, in the order of the source within a code. */
extern const struct sip_phrase_info sip_phrases[];
extern const unsigned int sip_nphrases;

/* The class names, index 1-6: "Provisional", "Success", ... */
extern const char *const sip_class_names[7];

/* The entry for @code, or NULL when the table has none. */
const struct sip_code_info *sip_code_lookup(int code);

#endif /* SIPCODE_CODES_H */
