package com.retentionhub.staff;

import com.retentionhub.abtest.Statistics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A/B test planning: how many leads per arm a test needs before it can tell a lift from noise. */
@RestController
@RequestMapping("/api/ab-tests")
public class AbTestsApi {

    /** {@code baseline} conversion rate (0.1 = 10%), relative {@code lift} to detect (0.2 = +20%), {@code power} and two-sided {@code alpha}. */
    @GetMapping("/plan")
    public Map<String, Object> plan(@RequestParam double baseline, @RequestParam double lift, @RequestParam(defaultValue = "0.8") double power,
            @RequestParam(defaultValue = "0.05") double alpha) {
        long perArm = Statistics.sampleSizePerArm(baseline, lift, alpha, power);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("baseline", baseline);
        plan.put("target", baseline * (1 + lift));
        plan.put("alpha", alpha);
        plan.put("power", power);
        plan.put("perArm", perArm);
        plan.put("total", 2 * perArm);
        return plan;
    }
}
