package com.retentionhub;

import com.retentionhub.platform.HubHome;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: routes, connectors and config are read from the working directory. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RetentionHubApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(RetentionHubApplication.class);
        app.addListeners(new HubHome());
        app.run(args);
    }
}
