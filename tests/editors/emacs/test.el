;;; test.el --- Batch test of editors/emacs/prp-lsp.el against the real server  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l editors/emacs/prp-lsp.el -l tests/editors/emacs/test.el
;;
;; Environment (set by tests/editors/emacs/run):
;;   PRP_REPO       the prp-lsp checkout
;;   PRP_LSP_BIN    the server binary
;;   PRP_WS         a private copy of examples/workspace (it is edited)
;;   PRP_ARTIFACTS  where to write eglot's events buffer and *Messages* on failure
;;
;; Drives the real Eglot and Flymake; batch Emacs runs no command loop and no idle timers, so
;; the test does what they would: `post-command-hook' after visiting a file (eglot-ensure
;; connects there), `flymake-start', and sending pending changes before waiting for the
;; server.  Prints "ok"/"FAIL" per check, then exactly "N passed, M failed"; exits non-zero
;; unless every check passed.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'eglot)
(require 'flymake)
(require 'prp-lsp)

(defvar prp-test-repo (or (getenv "PRP_REPO") (error "PRP_REPO is not set")))
(defvar prp-test-bin (or (getenv "PRP_LSP_BIN") (error "PRP_LSP_BIN is not set")))
(defvar prp-test-ws (file-name-as-directory
                     (file-truename (or (getenv "PRP_WS") (error "PRP_WS is not set")))))
(defvar prp-test-artifacts (getenv "PRP_ARTIFACTS"))

(defconst prp-test-wait-seconds 20
  "Seconds to wait for any one thing the server does (it answers in well under one).")

(defconst prp-test-prp07 "PRPs/active/PRP_07_password_reset.md")
(defconst prp-test-prp002 "PRPs/active/PRP-002-dashboard-widgets.md")
(defconst prp-test-prp006 "PRPs/archive/PRP-006-health-check.md")

(defvar prp-test-passed 0)
(defvar prp-test-failed 0)

;; No backups, lock files or auto-saves in the workspace copy; no questions.
(setq make-backup-files nil create-lockfiles nil auto-save-default nil
      eglot-sync-connect 10 eglot-autoshutdown nil)

;;; markdown-mode, as Debian installs it (elpa-markdown-mode); -Q skips the site start files
;;; that would put it on the load path.

(let ((dir (car (last (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/markdown-mode-*")))))
  (when dir
    (add-to-list 'load-path dir)
    (load (expand-file-name "markdown-mode-autoloads" dir) t t)))
(defvar prp-test-markdown-mode (and (require 'markdown-mode nil t) 'markdown-mode)
  "markdown-mode when installed, else nil (then .md files open in the fallback mode).")

;; What the README tells users to do.
(add-hook 'markdown-mode-hook #'prp-lsp-ensure)
(add-hook 'prp-lsp-markdown-mode-hook #'prp-lsp-ensure)

;;; Helpers

(defun prp-test-out (fmt &rest args)
  "Print FMT with ARGS and a newline to stdout."
  (princ (concat (apply #'format fmt args) "\n")))

(defun prp-test-check (name fn)
  "Run the check NAME: FN signals an error on failure."
  (let ((t0 (float-time)))
    (condition-case err
        (progn
          (funcall fn)
          (cl-incf prp-test-passed)
          (prp-test-out "ok   %s (%d ms)" name (* 1000 (- (float-time) t0))))
      (t
       (cl-incf prp-test-failed)
       (prp-test-out "FAIL %s (%d ms)\n     %s" name (* 1000 (- (float-time) t0))
                     (replace-regexp-in-string
                      "\n" "\n     " (error-message-string err)))))))

(defun prp-test-fail (fmt &rest args)
  "Fail the current check with FMT and ARGS."
  (signal 'error (list (apply #'format fmt args))))

(defun prp-test-wait (what pred &optional seconds)
  "Wait until PRED returns non-nil and return its value; fail naming WHAT after SECONDS."
  (let ((deadline (+ (float-time) (or seconds prp-test-wait-seconds)))
        value)
    (while (and (not (setq value (ignore-errors (funcall pred))))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value
        (prp-test-fail "timed out after %s s waiting for %s"
                       (or seconds prp-test-wait-seconds) what))))

(defun prp-test-path (rel) (expand-file-name rel prp-test-ws))

(defun prp-test-visit (rel)
  "Visit REL like a user: `find-file', then the command loop's `post-command-hook'."
  (let ((buffer (find-file (prp-test-path rel))))
    (with-current-buffer buffer
      (run-hooks 'post-command-hook))
    buffer))

(defun prp-test-attached (buffer)
  "Wait until Eglot manages BUFFER; return its server."
  (prp-test-wait (format "eglot to manage %s" (buffer-name buffer))
                 (lambda ()
                   (with-current-buffer buffer
                     (and (eglot-managed-p) (eglot-current-server))))))

(defun prp-test-flush (&rest _)
  "Send every buffer's pending changes (what Eglot's idle timers would do)."
  (dolist (buffer (buffer-list))
    (with-current-buffer buffer
      (when (eglot-managed-p)
        (eglot--signal-textDocument/didChange)))))

(defun prp-test-diagnostics (buffer code)
  "Flymake's diagnostics of BUFFER with the server's CODE, after a fresh `flymake-start'."
  (with-current-buffer buffer
    (flymake-start)
    (cl-remove-if-not
     (lambda (d)
       (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
         (equal (plist-get lsp :code) code)))
     (flymake-diagnostics))))

(defun prp-test-text (buffer)
  (with-current-buffer buffer (buffer-substring-no-properties (point-min) (point-max))))

(defun prp-test-line (buffer pos)
  (with-current-buffer buffer (line-number-at-pos pos)))

(defun prp-test-capture-warnings (fn)
  "Call FN; return the (TYPE MESSAGE) of every `display-warning' and `eglot--warn' meanwhile."
  (let ((seen '()))
    (cl-letf (((symbol-function 'display-warning)
               (lambda (type message &rest _) (push (list type message) seen))))
      (funcall fn))
    (nreverse seen)))

;;; Checks

(defun prp-test-run ()
  (prp-test-out "Emacs %s, eglot %s, %s, server %s, workspace %s"
                emacs-version
                (or (ignore-errors
                      (require 'lisp-mnt)
                      (lm-version (locate-library "eglot.el")))
                    "?")
                (if prp-test-markdown-mode "markdown-mode" "no markdown-mode (fallback mode)")
                prp-test-bin prp-test-ws)

  (prp-test-check
   "prp-lsp.el byte-compiles without warnings (byte-compile-error-on-warn)"
   (lambda ()
     (let* ((dir (make-temp-file "prp-lsp-bc" t))
            (copy (expand-file-name "prp-lsp.el" dir))
            (emacs (expand-file-name invocation-name invocation-directory)))
       (copy-file (expand-file-name "editors/emacs/prp-lsp.el" prp-test-repo) copy)
       (with-temp-buffer
         (let ((status (call-process emacs nil t nil "--batch" "-Q"
                                     "--eval" "(setq byte-compile-error-on-warn t)"
                                     "-f" "batch-byte-compile" copy)))
           (unless (and (eq status 0) (file-exists-p (concat copy "c")))
             (prp-test-fail "exit %s:\n%s" status (buffer-string)))
           (when (string-match-p "Warning\\|Error" (buffer-string))
             (prp-test-fail "compiler output:\n%s" (buffer-string)))))
       (delete-directory dir t))))

  (prp-test-check
   "registration: first in eglot-server-programs for the Markdown modes; root detection"
   (lambda ()
     (let ((entry (car eglot-server-programs)))
       (unless (eq (cdr entry) #'prp-lsp--contact)
         (prp-test-fail "first entry is %S" entry))
       (dolist (mode '(markdown-mode gfm-mode markdown-ts-mode prp-lsp-markdown-mode))
         (unless (assq mode (car entry)) (prp-test-fail "%s is not managed: %S" mode entry))))
     (unless (memq #'prp-lsp-project-find project-find-functions)
       (prp-test-fail "prp-lsp-project-find is not in project-find-functions"))
     (dolist (rel (list prp-test-prp006 "agent_contexts/status/frontend.json" "TASK.md"))
       (let ((root (prp-lsp-root (prp-test-path rel))))
         (unless (equal root prp-test-ws)
           (prp-test-fail "root of %s is %S, expected %s" rel root prp-test-ws))))
     ;; A `~/' command (as in `use-package' :custom) is expanded before Eglot runs it.
     ;; (Only with the run script's temporary HOME: this writes ~/bin/prp-lsp.)
     (let* ((home (file-name-as-directory (expand-file-name "~")))
            (link (expand-file-name "bin/prp-lsp" home)))
       (unless (string-prefix-p (file-truename temporary-file-directory) (file-truename home))
         (prp-test-fail "HOME (%s) is not a temporary folder; run tests/editors/emacs/run" home))
       (make-directory (file-name-directory link) t)
       (make-symbolic-link prp-test-bin link t)
       (let ((prp-lsp-server-command "~/bin/prp-lsp"))
         (unless (equal (cadr (prp-lsp--contact)) link)
           (prp-test-fail "contact for ~/bin/prp-lsp: %S" (prp-lsp--contact)))))
     (let ((outside (make-temp-file "prp-outside" t)))
       (unwind-protect
           (when (prp-lsp-root (expand-file-name "notes.md" outside))
             (prp-test-fail "a root outside any workspace: %S"
                            (prp-lsp-root (expand-file-name "notes.md" outside))))
         (delete-directory outside t)))))

  (prp-test-check
   "missing server: clear user-error from the contact, one warning from prp-lsp-ensure, no server"
   (lambda ()
     (let ((prp-lsp-server-command (prp-test-path "no-such-dir/prp-lsp"))
           (prp-lsp--warned nil)
           warnings)
       (let ((err (condition-case e (progn (prp-lsp--contact) nil) (user-error e))))
         (unless err (prp-test-fail "no user-error from prp-lsp--contact"))
         (dolist (want '("was not found" "cargo build --release -p prp-lsp"
                         "prp-lsp-server-command"))
           (unless (string-search want (error-message-string err))
             (prp-test-fail "the message lacks %S: %s" want (error-message-string err)))))
       ;; Visiting two Markdown files warns once, starts nothing, breaks nothing.
       (setq warnings
             (prp-test-capture-warnings
              (lambda ()
                (dolist (rel '("TASK.md" "PLANNING.md"))
                  (with-current-buffer (find-file-noselect (prp-test-path rel))
                    (run-hooks 'post-command-hook)
                    (accept-process-output nil 0.2)
                    (when (eglot-current-server)
                      (prp-test-fail "a server runs for %s" rel))
                    (kill-buffer))))))
       (unless (= (length warnings) 1)
         (prp-test-fail "expected one warning, got %S" warnings))
       (unless (string-search "cargo build --release -p prp-lsp" (cadr (car warnings)))
         (prp-test-fail "warning without install instructions: %S" warnings))
       (unless (zerop (hash-table-count eglot--servers-by-project))
         (prp-test-fail "eglot servers: %S" eglot--servers-by-project)))))

  ;; The real server from here on, with editor settings (as prp-lsp-settings).
  (setq prp-lsp-server-command prp-test-bin
        prp-lsp-settings '(:rules (:missing-section "error")))

  (let (b07 s07)
    (prp-test-check
     (format "eglot-ensure (via prp-lsp-ensure) attaches prp-lsp to %s, root = workspace"
             prp-test-prp07)
     (lambda ()
       (setq b07 (prp-test-visit prp-test-prp07))
       (with-current-buffer b07
         (when (and prp-test-markdown-mode (not (derived-mode-p 'markdown-mode)))
           (prp-test-fail "opened in %s, not markdown-mode" major-mode)))
       (setq s07 (prp-test-attached b07))
       (unless (cl-typep s07 'prp-lsp-server)
         (prp-test-fail "server class %S" (type-of s07)))
       (let ((root (file-name-as-directory (project-root (eglot--project s07)))))
         (unless (equal (file-truename root) prp-test-ws)
           (prp-test-fail "root %s, expected %s" root prp-test-ws)))
       (let ((name (plist-get (eglot--server-info s07) :name)))
         (unless (equal name "prp-lsp") (prp-test-fail "serverInfo name %S" name)))))

    (prp-test-check
     "flymake: the missing-section diagnostic at line 1, an error (prp-lsp-settings applied)"
     (lambda ()
       (let ((d (car (prp-test-wait "a missing-section diagnostic in flymake"
                                    (lambda () (prp-test-diagnostics b07 "missing-section"))))))
         (unless (= (prp-test-line b07 (flymake-diagnostic-beg d)) 1)
           (prp-test-fail "at line %d" (prp-test-line b07 (flymake-diagnostic-beg d))))
         (unless (string-search "Why" (flymake-diagnostic-text d))
           (prp-test-fail "message %S" (flymake-diagnostic-text d)))
         (unless (eq (flymake-diagnostic-type d) 'eglot-error)
           (prp-test-fail "type %S, expected eglot-error (settings not sent?)"
                          (flymake-diagnostic-type d))))))

    (prp-test-check
     "code action \"Add section `Why`\" (eglot-code-actions, executed by eglot) edits the buffer"
     (lambda ()
       (with-current-buffer b07
         (when (string-search "\n## Why" (prp-test-text b07))
           (prp-test-fail "the buffer already has a Why heading"))
         (let* ((d (car (prp-test-diagnostics b07 "missing-section")))
                (actions (eglot-code-actions (flymake-diagnostic-beg d)
                                             (flymake-diagnostic-end d)))
                (action (cl-find "Add section `Why`" actions
                                 :key (lambda (a) (plist-get a :title)) :test #'equal)))
           (unless action
             (prp-test-fail "no such action; offered: %S"
                            (mapcar (lambda (a) (plist-get a :title)) actions)))
           (if (fboundp 'eglot-execute)
               (eglot-execute s07 action)
             (with-no-warnings
               (eglot--read-execute-code-action (list action) s07))))
         (prp-test-wait "a `## Why` heading in the buffer"
                        (lambda () (string-search "\n## Why\n" (prp-test-text b07))))
         (unless (buffer-modified-p)
           (prp-test-fail "the edit should leave the buffer modified, unsaved")))))

    (prp-test-check
     "the missing-section diagnostic goes away after the edit; the other finding stays"
     (lambda ()
       (prp-test-flush b07)
       (prp-test-wait "the missing-section diagnostic to clear"
                      (lambda () (null (prp-test-diagnostics b07 "missing-section"))))
       (let ((others (prp-test-diagnostics b07 "unresolved-reference")))
         (unless (= (length others) 1)
           (prp-test-fail "unresolved-reference diagnostics: %S" others)))))

    (prp-test-check
     (format "hover (eglot-hover-eldoc-function) on `**Assigned to**: frontend` (%s:51) describes the agent"
             prp-test-prp002)
     (lambda ()
       (let ((b (prp-test-visit prp-test-prp002))
             doc)
         (prp-test-attached b)
         (with-current-buffer b
           (goto-char (point-min))
           (forward-line 50)
           (let ((line (buffer-substring-no-properties (line-beginning-position)
                                                       (line-end-position))))
             (unless (equal line "**Assigned to**: frontend")
               (prp-test-fail "line 51 is %S" line)))
           (search-forward "frontend")
           (backward-char 4)
           (unless (eglot-hover-eldoc-function (lambda (info &rest _) (setq doc (or info ""))))
             (prp-test-fail "eglot-hover-eldoc-function declined (no hoverProvider?)"))
           (prp-test-wait "the hover answer" (lambda () doc))
           (dolist (want '("frontend" "agent" "stuck"))
             (unless (string-search want (downcase doc))
               (prp-test-fail "hover lacks %S: %s" want doc)))))))

    (prp-test-check
     "the fallback prp-lsp-markdown-mode is managed by the same server (TASK.md diagnostics)"
     (lambda ()
       (let ((b (find-file-noselect (prp-test-path "TASK.md"))))
         (with-current-buffer b
           (prp-lsp-markdown-mode)
           (run-hooks 'post-command-hook)
           (let ((s (prp-test-attached b)))
             (unless (eq s s07) (prp-test-fail "another server: %S" s)))
           (prp-test-wait "a task-count-mismatch diagnostic on TASK.md"
                          (lambda () (prp-test-diagnostics b "task-count-mismatch")))))))

    (prp-test-check
     (format "prp-lsp-gate-report on %s: ready, Markdown in *prp-lsp gate report*"
             prp-test-prp006)
     (lambda ()
       (let ((b (prp-test-visit prp-test-prp006)) result)
         (prp-test-attached b)
         (with-current-buffer b (setq result (prp-lsp-gate-report)))
         (unless (eq (plist-get result :ready) t)
           (prp-test-fail "ready is %S: %S" (plist-get result :ready) result))
         (let ((report (get-buffer "*prp-lsp gate report*")))
           (unless report (prp-test-fail "no *prp-lsp gate report* buffer"))
           (dolist (want '("# Deployment gates" "Deploy: ready"))
             (unless (string-search want (prp-test-text report))
               (prp-test-fail "the report lacks %S:\n%s" want (prp-test-text report))))
           (with-current-buffer report
             (unless buffer-read-only (prp-test-fail "the report buffer is writable")))))))

    (prp-test-check
     (format "prp-lsp-assign-all assigns the tasks of %s (workspace/applyEdit)" prp-test-prp07)
     (lambda ()
       (with-current-buffer b07
         (prp-lsp-assign-all)
         (prp-test-wait "4 `Assigned to:` lines in the buffer"
                        (lambda ()
                          (= 4 (with-current-buffer b07
                                 (how-many "Assigned to: " (point-min) (point-max))))))
         (unless (string-search "Task 1:\n  Assigned to: database\n" (prp-test-text b07))
           (prp-test-fail "unexpected text:\n%s" (prp-test-text b07))))))

    (when (fboundp 'eglot-execute)      ; file renames need Emacs 30's eglot-execute
      (prp-test-check
       "code action \"Renumber to …\" on PRPs/planning/03_export_reports.md renames file and buffer"
       (lambda ()
         (let* ((old (prp-test-path "PRPs/planning/03_export_reports.md"))
                (b (prp-test-visit "PRPs/planning/03_export_reports.md"))
                (s (prp-test-attached b))
                (prompts '())
                new)
           (with-current-buffer b
             (let* ((d (car (prp-test-wait "a duplicate-prp-number diagnostic"
                                           (lambda () (prp-test-diagnostics b "duplicate-prp-number")))))
                    (actions (eglot-code-actions (flymake-diagnostic-beg d)
                                                 (flymake-diagnostic-end d)))
                    (action (cl-find-if (lambda (a) (string-prefix-p "Renumber to "
                                                                     (plist-get a :title)))
                                        actions)))
               (unless action
                 (prp-test-fail "no Renumber action; offered: %S"
                                (mapcar (lambda (a) (plist-get a :title)) actions)))
               (cl-letf (((symbol-function 'y-or-n-p)
                          (lambda (prompt) (push prompt prompts) t)))
                 (eglot-execute s action))))
           (setq new (buffer-file-name b))
           (when (equal new old) (prp-test-fail "the buffer still visits %s" old))
           (unless (string-match-p "/PRPs/planning/[0-9]+_export_reports\\.md\\'" new)
             (prp-test-fail "renamed to %s" new))
           (when (file-exists-p old) (prp-test-fail "%s still exists" old))
           (unless (file-exists-p new) (prp-test-fail "%s does not exist" new))
           (prp-test-out "     renamed to %s%s" (file-relative-name new prp-test-ws)
                         (if prompts (format " (confirmed: %S)" prompts) ""))
           (prp-test-attached b)
           (prp-test-flush b)
           (prp-test-wait "the duplicate-prp-number diagnostic to clear"
                          (lambda () (null (prp-test-diagnostics b "duplicate-prp-number"))))))))

    (prp-test-check
     "prp-lsp-generate creates a PRP (CreateFile + edit) and visits it"
     (lambda ()
       (let* ((before (window-buffer))
              (file (with-current-buffer b07
                      (prp-lsp-generate "Add CSV export to the reports page")))
              (b (window-buffer)))
         (when (eq b before) (prp-test-fail "the current buffer did not change"))
         (unless (string-prefix-p (prp-test-path "PRPs/active/") (buffer-file-name b))
           (prp-test-fail "visiting %S" (buffer-file-name b)))
         (unless (equal (buffer-file-name b) file)
           (prp-test-fail "returned %S, visiting %S" file (buffer-file-name b)))
         (unless (file-exists-p file) (prp-test-fail "%s was not created" file))
         (let ((text (prp-test-text b)))
           (unless (string-search "CSV export" text)
             (prp-test-fail "generated text: %s" (substring text 0 (min 400 (length text)))))
           (unless (or (string-search "\n## Why" text) (string-search "\n## Goal" text))
             (prp-test-fail "no Why/Goal heading: %s" (substring text 0 (min 400 (length text))))))
         (prp-test-attached b))))))

(defun prp-test-save-artifacts ()
  "Write eglot's events buffers and *Messages* to PRP_ARTIFACTS."
  (when prp-test-artifacts
    (make-directory prp-test-artifacts t)
    (setq coding-system-for-write 'utf-8-emacs-unix)
    (dolist (server (ignore-errors (apply #'append (hash-table-values eglot--servers-by-project))))
      (ignore-errors
        (with-current-buffer (jsonrpc-events-buffer server)
          (write-region nil nil (expand-file-name "eglot-events.txt" prp-test-artifacts) t 'silent))))
    (with-current-buffer (messages-buffer)
      (write-region nil nil (expand-file-name "emacs-messages.txt" prp-test-artifacts) nil 'silent))))

(defun prp-test-finish ()
  "Print the summary line, save artifacts on failure, exit."
  (let ((failed (or (> prp-test-failed 0) (= prp-test-passed 0))))
    (when failed (ignore-errors (prp-test-save-artifacts)))
    (prp-test-out "%d passed, %d failed" prp-test-passed prp-test-failed)
    (kill-emacs (if failed 1 0))))

;; A hard bound on the whole run, whatever happens (timers fire while the test waits for
;; process output; the run script adds an outer `timeout').
(run-at-time 120 nil
             (lambda ()
               (prp-test-out "FAIL: the test run did not finish within 120 s")
               (cl-incf prp-test-failed)
               (prp-test-finish)))

(condition-case err
    (prp-test-run)
  (t
   (prp-test-out "FAIL: the test script raised an error: %s" (error-message-string err))
   (cl-incf prp-test-failed)))
(prp-test-finish)

;;; test.el ends here
