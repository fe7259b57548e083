package com.retentionhub.staff;

/** The page and size every list takes: pages from 0, up to 200 items a page. */
final class Paging {

    static final int MAX_SIZE = 200;

    private Paging() {}

    static void check(int page, int size) {
        if (page < 0) {
            throw ApiProblem.badRequest("page must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiProblem.badRequest("size must be between 1 and " + MAX_SIZE);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw ApiProblem.badRequest("page is too far");
        }
    }
}
