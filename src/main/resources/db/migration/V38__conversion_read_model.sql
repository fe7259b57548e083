-- The read model the conversion module publishes: leads the tracker reports as converted (a sign-up,
-- a sale or a rebill; a rejected conversion does not count). The sequence module's skip-if-converted
-- condition reads it; what counts as converted stays the conversion module's rule.
CREATE VIEW converted_leads AS
    SELECT DISTINCT lead_id FROM conversion WHERE lead_id IS NOT NULL AND status IN ('lead', 'sale', 'rebill');
