/* CUnit boilerplate shared by the unit tests: suites from arrays, the exit status
 * is the number of failures (0 = all passed). */
#ifndef CU_MAIN_H
#define CU_MAIN_H

#include <CUnit/Basic.h>
#include <ctype.h>

static inline int cu_run(CU_SuiteInfo *suites)
{
    unsigned fails;
    if (CU_initialize_registry() != CUE_SUCCESS) return 1;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return fails > 255 ? 255 : (int)fails;
}

/* Whitespace runs as one blank, in place: --help wraps lines, tables do not. */
static inline void cu_squeeze(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (!isspace((unsigned char)*r)) *w++ = *r;
        else if (w > s && w[-1] != ' ') *w++ = ' ';
    if (w > s && w[-1] == ' ') w--;
    *w = '\0';
}

#endif
