package com.retentionhub.abtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import org.junit.jupiter.api.Test;

class AbTestPlanApiTest extends HubIntegrationTest {

    @Test
    void shouldPlanTheSampleSizeAndRefuseImpossibleInputs() {
        var plan = StaffClient.json(staff.get("/api/ab-tests/plan?baseline=0.1&lift=0.2&power=0.8"));
        assertThat(plan.path("perArm").asLong()).isEqualTo(3841);
        assertThat(plan.path("total").asLong()).isEqualTo(7682);

        assertThat(staff.get("/api/ab-tests/plan?baseline=0.9&lift=0.5").statusCode()).isEqualTo(400); // 135% is not a rate
        assertThat(staff.get("/api/ab-tests/plan?baseline=abc&lift=0.2").statusCode()).isEqualTo(400);
    }
}
