import { z } from "zod";

// The change-password form and its server action parse with this one schema.

export const PASSWORD_MIN_LENGTH = 12;
/** The sign-in form accepts up to 1,000 characters; a longer password could never be used. */
export const PASSWORD_MAX_LENGTH = 1_000;

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current (temporary) password.").max(PASSWORD_MAX_LENGTH),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH.toLocaleString("en-US")} characters.`),
    confirmPassword: z.string(),
  })
  .refine((input) => input.newPassword === input.confirmPassword, { message: "The two new passwords are not the same.", path: ["confirmPassword"] });

export type ChangePasswordValues = z.input<typeof changePasswordInput>;
