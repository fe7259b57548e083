package com.retentionhub.console;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Amounts with their currency, as staff read money: "$1,240.00", "€40.00". A figure whose
 * conversions carry no currency is shown in {@code hub.console.currency} (Keitaro's default, USD);
 * a sum over several currencies says so rather than passing for one.
 */
@Component("money")
public class Money {

    private final String fallback;

    public Money(@Value("${hub.console.currency:USD}") String fallback) {
        this.fallback = fallback;
    }

    public String format(Object amount, String currency) {
        if (amount == null) {
            return "—";
        }
        BigDecimal value = amount instanceof BigDecimal d ? d : new BigDecimal(amount.toString());
        if ("mixed".equals(currency)) {
            return NumberFormat.getNumberInstance(Locale.US).format(value.setScale(2, RoundingMode.HALF_UP)) + " (mixed currencies)";
        }
        String code = currency == null || currency.isBlank() ? fallback : currency.trim().toUpperCase(Locale.ROOT);
        try {
            NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
            format.setCurrency(Currency.getInstance(code));
            return format.format(value);
        } catch (IllegalArgumentException unknownCode) {
            return value.toPlainString() + " " + code;
        }
    }
}
