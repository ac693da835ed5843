/** An action's error for a form: the field it is about (if any) and the message without its `field: ` prefix. */
export function actionFieldError(error: { message: string; field: string | null }): { field: string | null; message: string } {
  const prefix = error.field ? `${error.field}: ` : "";
  return { field: error.field, message: prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message };
}
