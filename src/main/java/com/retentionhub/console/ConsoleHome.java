package com.retentionhub.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form and the console's front door (the conversation roster). */
@Controller
public class ConsoleHome {

    /** A browser opening the hub's address lands on the console (or its login). */
    @GetMapping("/")
    public String root() {
        return "redirect:/console";
    }

    @GetMapping("/login")
    public String login() {
        return "login";
    }

    @GetMapping("/console")
    public String home() {
        return "redirect:/console/conversations";
    }
}
