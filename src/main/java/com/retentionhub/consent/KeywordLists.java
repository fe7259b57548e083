package com.retentionhub.consent;

import java.util.List;
import java.util.Map;

/**
 * The keyword lists from {@code config/keywords.yaml}: per language, the whole-message words that
 * opt out, opt back in, or ask for help.
 */
public record KeywordLists(Map<String, List<String>> optOut, Map<String, List<String>> optIn, Map<String, List<String>> help) {}
