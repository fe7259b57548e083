package com.retentionhub.console;

import com.retentionhub.platform.ApiAudit;
import com.retentionhub.staff.ApiProblem;
import com.retentionhub.staff.UsersApi;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Console users (an admin creates them and lifts locks; staff see the list) and the audit of who changed what. */
@Controller
public class UserPages {

    static final int AUDIT_PAGE = 100;

    private final UsersApi api;
    private final ApiAudit audit;
    private final ConsoleCalls calls;

    public UserPages(UsersApi api, ApiAudit audit, ConsoleCalls calls) {
        this.api = api;
        this.audit = audit;
        this.calls = calls;
    }

    @GetMapping("/console/users")
    public String users(Principal who, Model model) {
        model.addAttribute("users", api.list());
        model.addAttribute("admin", UsersApi.isAdmin(who));
        return "console/users";
    }

    @PostMapping("/console/users")
    public String create(@RequestParam("username") String username, @RequestParam("role") String role,
            @RequestParam("password") String password,
            Principal who, RedirectAttributes flash) {
        refuseStaff(who);
        calls.attempt(flash, "User " + username.trim() + " created: they sign in with the password you gave them.",
                () -> api.create(calls.valid(new UsersApi.NewUser(username, role, password)), who));
        return "redirect:/console/users";
    }

    @PostMapping("/console/users/{username}/unlock")
    public String unlock(@PathVariable("username") String username, Principal who, RedirectAttributes flash) {
        refuseStaff(who);
        calls.attempt(flash, "Unlocked " + username + ".", () -> api.unlock(username, who));
        return "redirect:/console/users";
    }

    /** The audit: console changes with who made them, and API calls with the key's fingerprint; newest first. */
    @GetMapping("/console/audit")
    public String audit(@RequestParam(name = "user", required = false) String user,
            @RequestParam(name = "before", required = false) Long before,
            Model model) {
        String who = ConversationPages.blank(user);
        model.addAttribute("user", who);
        model.addAttribute("entries", audit.recent(null, who, before, AUDIT_PAGE));
        return "console/audit";
    }

    /** A staff user posting the admin's form gets a 403 page, not a notice: the form is not theirs to use. */
    private static void refuseStaff(Principal who) {
        if (!UsersApi.isAdmin(who)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "only an admin can manage users");
        }
    }
}
