package com.retentionhub.staff;

import com.retentionhub.conversation.Scheduling;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Appointments booked by text, and each one as an iCalendar file. */
@RestController
@RequestMapping("/api/appointments")
public class AppointmentsApi {

    private final Scheduling scheduling;

    public AppointmentsApi(Scheduling scheduling) {
        this.scheduling = scheduling;
    }

    @GetMapping
    public List<Scheduling.Appointment> upcoming() {
        return scheduling.upcoming();
    }

    @GetMapping("/{id}.ics")
    public ResponseEntity<String> ics(@PathVariable("id") long id) {
        Scheduling.Appointment appointment = scheduling.byId(id)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "no appointment " + id));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/calendar; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"appointment-" + id + ".ics\"")
                .body(scheduling.ics(appointment));
    }
}
