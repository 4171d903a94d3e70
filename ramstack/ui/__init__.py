"""The terminal layer every verb shares: which stream gets what (output), closing summary lines
(summary), and "did you mean" suggestions (suggest). Pure standard library, so start-up stays fast."""
