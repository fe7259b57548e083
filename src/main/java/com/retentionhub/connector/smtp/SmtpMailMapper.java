package com.retentionhub.connector.smtp;

import com.retentionhub.conversation.InviteEmail;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** Turns an {@link InviteEmail} into what camel-mail sends: headers, the text body and the .ics attachment. No I/O. */
@Component("smtpMailMapper")
public class SmtpMailMapper {

    public void toMail(Exchange exchange) {
        InviteEmail mail = exchange.getMessage().getBody(InviteEmail.class);
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        message.setHeader("To", mail.to());
        message.setHeader("Subject", mail.subject());
        message.setBody(mail.text());
        if (mail.ics() != null) {
            // The method in the content type is what makes clients treat the file as an invitation or a cancellation.
            String type = "text/calendar; method=" + mail.method() + "; charset=UTF-8";
            message.addAttachment("invite.ics",
                    new DataHandler(new ByteArrayDataSource(mail.ics().getBytes(StandardCharsets.UTF_8), type)));
        }
    }

    /** Java Mail settings the kamelet's endpoint uses: STARTTLS when offered (hub.invites.smtp-start-tls), and timeouts. */
    @Bean("smtpMailProperties")
    static Properties smtpMailProperties(@Value("${hub.invites.smtp-start-tls:true}") boolean startTls) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.starttls.enable", String.valueOf(startTls));
        p.setProperty("mail.smtp.timeout", "10000");
        p.setProperty("mail.smtp.writetimeout", "10000");
        return p;
    }
}
