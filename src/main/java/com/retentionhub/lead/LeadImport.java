package com.retentionhub.lead;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * A CSV list of leads (a cold SMS cell list, say): a header row naming a phone or email column,
 * optionally name / first_name / last_name, email, sub_id, click_id. Each row goes through
 * {@link LeadIntake}; the answer counts imported, duplicate and invalid rows and names the invalid
 * ones by their row number as a spreadsheet shows it (the header is row 1).
 */
@Component
public class LeadImport {

    @Schema(name = "ImportResult")
    public record Result(int imported, int duplicates, int invalid, List<Integer> invalidRows, List<RowError> errors) {}

    /** Why one row was not imported; {@code row} as a spreadsheet numbers it. */
    public record RowError(int row, String reason) {}

    private final LeadIntake intake;

    public LeadImport(LeadIntake intake) {
        this.intake = intake;
    }

    public Result importCsv(String csv, LeadIntake.Source source) {
        List<List<String>> rows = CsvRows.parse(csv);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the file is empty");
        }
        List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT).replace(' ', '_')).toList();
        int phone = column(header, "phone", "phone_number", "mobile", "cell", "number");
        int email = column(header, "email", "email_address");
        if (phone < 0 && email < 0) {
            throw new IllegalArgumentException("the header row needs a phone or an email column");
        }
        int name = column(header, "name", "full_name");
        int first = column(header, "first_name");
        int last = column(header, "last_name");
        int subId = column(header, "sub_id", "subid");
        int clickId = column(header, "click_id", "clickid");
        int imported = 0;
        int duplicates = 0;
        List<Integer> invalid = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue; // a blank line is not a lead
            }
            String fullName = cell(row, name);
            if (fullName == null && (cell(row, first) != null || cell(row, last) != null)) {
                fullName = ((cell(row, first) == null ? "" : cell(row, first)) + " " + (cell(row, last) == null ? "" : cell(row, last)))
                        .trim();
            }
            try {
                LeadIntake.Accepted a = intake.accept(new LeadIntake.NewLead(fullName, cell(row, phone), cell(row, email), source, null,
                        cell(row, subId), cell(row, clickId)));
                if (a.created()) {
                    imported++;
                } else {
                    duplicates++;
                }
            } catch (LeadIntake.InvalidLead e) {
                invalid.add(r + 1);
                errors.add(new RowError(r + 1, e.getMessage()));
            } catch (DataIntegrityViolationException e) {
                // Each row commits on its own: a row the database refuses is reported like any invalid
                // one, never a 500 that leaves the rows before it imported and the caller unaware.
                invalid.add(r + 1);
                errors.add(new RowError(r + 1, "refused by the database"));
            }
        }
        return new Result(imported, duplicates, invalid.size(), invalid, errors);
    }

    private static int column(List<String> header, String... names) {
        for (String n : names) {
            int i = header.indexOf(n);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String cell(List<String> row, int column) {
        if (column < 0 || column >= row.size()) {
            return null;
        }
        String v = row.get(column).trim();
        return v.isEmpty() ? null : v;
    }
}
