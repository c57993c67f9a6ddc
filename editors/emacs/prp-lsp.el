;;; prp-lsp.el --- Eglot client for prp-lsp, PRP documents  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "29.1"))
;; Keywords: languages, tools, convenience

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Registers the prp-lsp language server with Eglot (built into Emacs 29 and later) for
;; Markdown buffers: `markdown-mode' and `gfm-mode' (the markdown-mode package),
;; `markdown-ts-mode', and `prp-lsp-markdown-mode', a minimal mode this file provides for
;; Emacs without any Markdown mode.  It adds:
;;
;; - root detection: the nearest folder holding prp-lsp.toml, .prp-lsp.toml, PRPs/ or
;;   TASK.md, else the nearest with .git (a `project-find-functions' entry used only for
;;   Eglot's Markdown buffers);
;; - `prp-lsp-ensure', for `markdown-mode-hook': starts Eglot in PRP workspaces only, and
;;   says once (a warning) when the server binary is missing;
;; - the commands `prp-lsp-generate', `prp-lsp-assign-all' and `prp-lsp-gate-report';
;; - file creation (`prp.generate') and, on Emacs 30, renaming (archive and renumber
;;   code actions): Eglot before Emacs 31 applies neither;
;; - `prp-lsp-settings', sent as the `prp-lsp' section of `workspace/configuration'.
;;
;; Setup:
;;
;;   (add-to-list 'load-path "~/src/prp-lsp/editors/emacs")
;;   (require 'prp-lsp)
;;   (add-hook 'markdown-mode-hook #'prp-lsp-ensure)
;;
;; See README.md next to this file.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)
(require 'project)
(require 'subr-x)

(defgroup prp-lsp nil
  "The prp-lsp language server for PRP documents, TASK.md and agent files."
  :group 'tools
  :prefix "prp-lsp-")

(defcustom prp-lsp-server-command "prp-lsp"
  "The prp-lsp server: a program name looked up on `exec-path', or a path.
A list is a program followed by its arguments."
  :type '(choice (string :tag "Program")
                 (repeat :tag "Program and arguments" string)))

(defcustom prp-lsp-settings nil
  "Editor settings for prp-lsp, a plist with the keys of prp-lsp.toml.
Sent as the `prp-lsp' section of `workspace/configuration' and layered by the
server on top of the workspace's prp-lsp.toml.  A `prp-lsp' section in
`eglot-workspace-configuration' (for example in .dir-locals.el) takes
precedence.  Example:

  \\='(:rules (:missing-section \"error\" :template-placeholder \"off\"))"
  :type '(plist :key-type symbol :value-type sexp))

(defcustom prp-lsp-root-markers '("prp-lsp.toml" ".prp-lsp.toml" "PRPs" "TASK.md")
  "Files or folders marking the root of a PRP workspace.
The nearest folder above a file holding one of them is the server's root;
when there is none, the nearest folder holding .git."
  :type '(repeat string))

(defcustom prp-lsp-major-modes
  '(markdown-mode gfm-mode markdown-ts-mode prp-lsp-markdown-mode)
  "Major modes whose buffers prp-lsp manages (their derived modes too).
Changes take effect when this file is loaded again."
  :type '(repeat symbol))

(defcustom prp-lsp-register-fallback-mode t
  "Whether .md files open in `prp-lsp-markdown-mode' when nothing else claims them.
The entry is appended to `auto-mode-alist', so markdown-mode or any other
Markdown mode registered for .md files wins."
  :type 'boolean)

(defconst prp-lsp--install-hint
  "build it with `cargo build --release -p prp-lsp' in the prp-lsp repository, then put \
target/release/prp-lsp on your PATH or set `prp-lsp-server-command' to its path"
  "How to get the server, for messages.")

;;; Server binary

(defun prp-lsp--command ()
  "`prp-lsp-server-command' as a list of strings."
  (if (listp prp-lsp-server-command)
      prp-lsp-server-command
    (list prp-lsp-server-command)))

(defun prp-lsp-server-executable ()
  "The absolute file name of the prp-lsp server, or nil when there is none."
  (let ((program (car (prp-lsp--command))))
    (and (stringp program)
         (not (string-empty-p program))
         (if (or (file-name-absolute-p program) (string-search "/" program))
             (let ((file (expand-file-name program)))
               (and (file-executable-p file)
                    (not (file-directory-p file))
                    file))
           (executable-find program)))))

(defun prp-lsp--missing-server-message ()
  "The message for a missing server binary."
  (format "prp-lsp: the server `%s' was not found; %s"
          (car (prp-lsp--command)) prp-lsp--install-hint))

(defun prp-lsp--contact (&optional _interactive)
  "Eglot contact for prp-lsp: the server class and command.
Signals a `user-error' explaining how to install the server when it is missing."
  (let ((program (prp-lsp-server-executable)))
    (unless program
      (user-error "%s" (prp-lsp--missing-server-message)))
    (cons 'prp-lsp-server (cons program (cdr (prp-lsp--command))))))

;;; Root detection

(defun prp-lsp-root (&optional file)
  "The prp-lsp workspace root of FILE (default: the current buffer's).
The nearest folder holding one of `prp-lsp-root-markers', else the nearest
holding .git, else nil."
  (let ((dir (file-name-directory
              (expand-file-name (or file buffer-file-name default-directory)))))
    (when-let ((root (or (locate-dominating-file
                          dir (lambda (d)
                                (cl-some (lambda (m) (file-exists-p (expand-file-name m d)))
                                         prp-lsp-root-markers)))
                         (locate-dominating-file dir ".git"))))
      (file-name-as-directory (expand-file-name root)))))

(defun prp-lsp--managed-mode-p (&optional mode)
  "Whether MODE (default: the current major mode) is one prp-lsp manages."
  (apply #'provided-mode-derived-p (or mode major-mode) prp-lsp-major-modes))

(defun prp-lsp-project-find (dir)
  "A `project-find-functions' entry: the prp-lsp root above DIR, for Eglot only.
Applies while Eglot looks for the project of a buffer in one of
`prp-lsp-major-modes' (`eglot-lsp-context'), so other tools and other
language servers keep their usual projects."
  (when (and (bound-and-true-p eglot-lsp-context) (prp-lsp--managed-mode-p))
    (when-let ((root (prp-lsp-root (expand-file-name "x" dir))))
      (cons 'prp-lsp root))))

(cl-defmethod project-root ((project (head prp-lsp)))
  "The root folder of a prp-lsp PROJECT."
  (cdr project))

;;; The server class: file operations, settings

(defclass prp-lsp-server (eglot-lsp-server) ()
  :documentation "An Eglot connection to prp-lsp.")

(defvar prp-lsp--eglot-resource-operations nil
  "The `resourceOperations' Eglot itself announces (none before Emacs 31).
When Eglot has its own, prp-lsp leaves workspace edits to it.")

(defun prp-lsp--resource-operations ()
  "The resource operations prp-lsp performs for Eglot.
`create' (for `prp.generate'); `rename' (archiving and renumbering PRPs)
when code actions go through `eglot-execute' (Emacs 30 and later)."
  (if (fboundp 'eglot-execute) ["create" "rename"] ["create"]))

(cl-defmethod eglot-client-capabilities ((_server prp-lsp-server))
  "Eglot's capabilities, plus the resource operations prp-lsp performs.
See `prp-lsp--resource-operations'."
  (let* ((caps (copy-sequence (cl-call-next-method)))
         (workspace (copy-sequence (plist-get caps :workspace)))
         (edit (copy-sequence (plist-get workspace :workspaceEdit))))
    (setq prp-lsp--eglot-resource-operations (plist-get edit :resourceOperations))
    (unless prp-lsp--eglot-resource-operations
      (setq edit (plist-put edit :documentChanges t))
      (setq edit (plist-put edit :resourceOperations (prp-lsp--resource-operations))))
    (setq workspace (plist-put workspace :workspaceEdit edit))
    (plist-put caps :workspace workspace)))

(defun prp-lsp--resource-op-p (change)
  "Whether the `documentChanges' entry CHANGE is a file operation."
  (member (plist-get change :kind) '("create" "rename" "delete")))

(defun prp-lsp--has-resource-ops-p (edit)
  "Whether the WorkspaceEdit EDIT holds file operations prp-lsp must perform."
  (and (not prp-lsp--eglot-resource-operations)
       (seq-some #'prp-lsp--resource-op-p (plist-get edit :documentChanges))))

(defun prp-lsp--create-file (op)
  "Perform the `CreateFile' OP: an empty file (and its folders), visited."
  (let* ((file (prp-lsp--path (plist-get op :uri)))
         (options (plist-get op :options))
         (exists (file-exists-p file)))
    (cond
     ((and exists (eq (plist-get options :overwrite) t))
      (with-current-buffer (find-file-noselect file)
        (erase-buffer)))
     ((and exists (eq (plist-get options :ignoreIfExists) t)))
     (exists
      (error "%s already exists" file))
     (t
      (make-directory (file-name-directory file) t)
      (write-region "" nil file nil 'silent)))
    (find-file-noselect file)))

(defun prp-lsp--rename-file (op)
  "Perform the `RenameFile' OP: move the file and the buffer visiting it.
The buffer keeps its unsaved changes; Eglot tells the server it closed the
old name and opened the new one."
  (let* ((from (prp-lsp--path (plist-get op :oldUri)))
         (to (prp-lsp--path (plist-get op :newUri)))
         (options (plist-get op :options))
         (buffer (find-buffer-visiting from)))
    (cond
     ((and (file-exists-p to) (eq (plist-get options :ignoreIfExists) t)))
     ((and (file-exists-p to) (not (eq (plist-get options :overwrite) t)))
      (error "%s already exists" to))
     (t
      (make-directory (file-name-directory to) t)
      (rename-file from to t)
      (when buffer
        (with-current-buffer buffer
          ;; Eglot follows no renames: close the old name, open the new one.
          (let ((managed (bound-and-true-p eglot--managed-mode)))
            (when managed
              (eglot--signal-textDocument/didClose)
              (eglot--managed-mode-off))
            (set-visited-file-name to t t)
            (when managed (eglot--maybe-activate-editing-mode)))))))))

(defun prp-lsp--confirm-file-operations (edit origin)
  "Ask before applying EDIT when `eglot-confirm-server-edits' says so.
ORIGIN is the command the edit comes from, as for Eglot: with `maybe-summary'
or `maybe-diff' (the default), ask only when EDIT changes or renames a file
that no buffer visits (files it creates do not count)."
  (let* ((decision (if (consp eglot-confirm-server-edits)
                       (cdr (or (assq origin eglot-confirm-server-edits)
                                (assq t eglot-confirm-server-edits)))
                     eglot-confirm-server-edits))
         (created '())
         (unvisited nil)
         (lines
          (mapcar
           (lambda (c)
             (let ((uri (or (plist-get c :uri) (plist-get c :oldUri)
                            (plist-get (plist-get c :textDocument) :uri))))
               (if (equal (plist-get c :kind) "create")
                   (push uri created)
                 (unless (or (member uri created)
                             (find-buffer-visiting (prp-lsp--path uri)))
                   (setq unvisited t)))
               (pcase (plist-get c :kind)
                 ("create" (format "  create %s\n" (prp-lsp--path uri)))
                 ("rename" (format "  rename %s\n      to %s\n" (prp-lsp--path uri)
                                   (prp-lsp--path (plist-get c :newUri))))
                 ("delete" (format "  delete %s\n" (prp-lsp--path uri)))
                 (_ (format "  edit %s\n" (prp-lsp--path uri))))))
           (plist-get edit :documentChanges))))
    (when (and decision
               (or unvisited (not (memq decision '(maybe-summary maybe-diff))))
               (not (y-or-n-p (format "[prp-lsp] Server wants to:\n%sProceed? "
                                      (apply #'concat (delete-dups lines))))))
      (user-error "prp-lsp: nothing changed"))))

(defun prp-lsp--apply-edit (edit apply-text-edits origin)
  "Apply the WorkspaceEdit EDIT from the command ORIGIN, in order.
Runs of text edits go to APPLY-TEXT-EDITS (Eglot's, called with a
WorkspaceEdit and with `eglot-confirm-server-edits' nil: the whole edit is
confirmed once, first); prp-lsp creates and renames files itself."
  (prp-lsp--confirm-file-operations edit origin)
  (let ((run '())
        (eglot-confirm-server-edits nil))
    (cl-flet ((flush ()
                (when run
                  (funcall apply-text-edits
                           (list :documentChanges (vconcat (nreverse run))))
                  (setq run nil))))
      (seq-doseq (c (plist-get edit :documentChanges))
        (pcase (plist-get c :kind)
          ("create" (flush) (prp-lsp--create-file c))
          ("rename" (flush) (prp-lsp--rename-file c))
          ("delete" (error "prp-lsp: file deletion is not supported"))
          (_ (push c run))))
      (flush))))

(cl-defmethod eglot-handle-request
  ((server prp-lsp-server) (method (eql 'workspace/applyEdit)) &rest params &key edit &allow-other-keys)
  "Handle SERVER's `workspace/applyEdit' (METHOD, PARAMS).
prp-lsp applies an EDIT with file operations, Eglot any other."
  (if (not (prp-lsp--has-resource-ops-p edit))
      (cl-call-next-method)
    (condition-case err
        (progn
          (prp-lsp--apply-edit
           edit (lambda (wedit)
                  (apply #'cl-call-next-method server method
                         (plist-put (copy-sequence params) :edit wedit)))
           last-command)
          (list :applied t))
      (error (list :applied :json-false :failureReason (error-message-string err))))))

(cl-defmethod eglot-execute ((server prp-lsp-server) action)
  "Execute the code action or command ACTION of SERVER.
Code actions whose edit creates or renames files (archive, renumber) are
applied by prp-lsp, the rest by Eglot."
  (let ((edit (plist-get action :edit)))
    (if (not (and (plist-member action :title) edit (prp-lsp--has-resource-ops-p edit)))
        (cl-call-next-method)
      (prp-lsp--apply-edit edit
                           (lambda (wedit) (eglot--apply-workspace-edit wedit this-command))
                           this-command)
      (when-let ((command (plist-get action :command)))
        (eglot-execute server command)))))

(cl-defmethod eglot-handle-request
  ((server prp-lsp-server) (method (eql 'workspace/configuration)) &rest params)
  "Answer SERVER's `workspace/configuration' (METHOD, PARAMS).
The `prp-lsp' section is `eglot-workspace-configuration''s when it has one,
else `prp-lsp-settings'."
  (let ((answers (apply #'cl-call-next-method server method params))
        (items (plist-get params :items)))
    (cl-loop for item across items
             for i from 0
             when (and (equal (plist-get item :section) "prp-lsp")
                       (null (aref answers i))
                       prp-lsp-settings)
             do (aset answers i prp-lsp-settings))
    answers))

;;; Starting

(defvar prp-lsp--warned nil
  "Non-nil once the missing-server warning was shown in this session.")

;;;###autoload
(defun prp-lsp-ensure ()
  "Start Eglot with prp-lsp for the current buffer when it is in a PRP workspace.
For `markdown-mode-hook' and the like.  Does nothing for files outside a
workspace (see `prp-lsp-root').  When the server binary is missing, shows a
warning with install instructions once per session and starts nothing."
  (when (and buffer-file-name (prp-lsp-root))
    (if (prp-lsp-server-executable)
        (eglot-ensure)
      (unless prp-lsp--warned
        (setq prp-lsp--warned t)
        (display-warning 'prp-lsp (prp-lsp--missing-server-message) :warning))
      nil)))

;;; Commands

(defun prp-lsp--server ()
  "The Eglot server of the current buffer, or a `user-error'."
  (or (eglot-current-server)
      (user-error "prp-lsp: no language server for this buffer (M-x eglot, or `prp-lsp-ensure' in `markdown-mode-hook')")))

(defun prp-lsp--uri (file)
  "The file URI of FILE, as Eglot writes it."
  (if (fboundp 'eglot-path-to-uri)
      (eglot-path-to-uri file)
    (with-no-warnings (eglot--path-to-uri file))))

(defun prp-lsp--path (uri)
  "The file name of the file URI, as Eglot reads it."
  (if (fboundp 'eglot-uri-to-path)
      (eglot-uri-to-path uri)
    (with-no-warnings (eglot--uri-to-path uri))))

(defun prp-lsp--buffer-uri ()
  "The URI of the current buffer's file, or a `user-error'."
  (unless buffer-file-name
    (user-error "prp-lsp: this buffer visits no file"))
  (prp-lsp--uri buffer-file-name))

(defun prp-lsp-execute (command arguments)
  "Run the server COMMAND with ARGUMENTS (a vector); return its result.
Pending buffer changes reach the server first.  Edits the server sends back
\(`workspace/applyEdit') are applied to buffers, unsaved."
  (let ((server (prp-lsp--server))
        (params (list :command command :arguments arguments)))
    (condition-case err
        (if (fboundp 'eglot-execute)
            (eglot-execute server params)
          (with-no-warnings (eglot-execute-command server command arguments)))
      (jsonrpc-error
       (user-error "prp-lsp: %s failed: %s" command
                   (or (alist-get 'jsonrpc-error-message (cdr err))
                       (error-message-string err)))))))

;;;###autoload
(defun prp-lsp-generate (description)
  "Generate a PRP from DESCRIPTION (`prp.generate') and visit it.
The new file is created in the workspace, filled in a buffer: save it to keep
the text."
  (interactive (list (read-string "Requirement description: ")))
  (when (string-blank-p description)
    (user-error "prp-lsp: a requirement description is needed"))
  (let* ((server (prp-lsp--server))
         (root (or (ignore-errors (project-root (eglot--project server)))
                   (prp-lsp-root)))
         (result (prp-lsp-execute "prp.generate" (vector description)))
         (path (plist-get result :path)))
    (unless (stringp path)
      (user-error "prp-lsp: the server returned no path for the generated PRP"))
    (let ((file (expand-file-name path root)))
      (pop-to-buffer-same-window (find-file-noselect file))
      (seq-doseq (w (plist-get result :warnings))
        (display-warning 'prp-lsp (format "%s" w) :warning))
      (message "prp-lsp: generated %s (C-x C-s to save it)" path)
      file)))

;;;###autoload
(defun prp-lsp-assign-all ()
  "Assign each unassigned task of this document to its agent (`prp.assignAll').
The edits land in the buffer, unsaved."
  (interactive)
  (let ((result (prp-lsp-execute "prp.assignAll" (vector (prp-lsp--buffer-uri)))))
    (message "prp-lsp: assigned the tasks of %s (C-x C-s to save, C-/ to undo)"
             (or (plist-get result :path) (buffer-name)))
    result))

(defvar prp-lsp-gate-report-buffer "*prp-lsp gate report*"
  "The name of the gate report buffer.")

(defun prp-lsp--markdown-view-mode ()
  "A Markdown mode for showing server Markdown."
  (cond ((fboundp 'gfm-view-mode) 'gfm-view-mode)
        ((fboundp 'markdown-view-mode) 'markdown-view-mode)
        (t 'prp-lsp-markdown-mode)))

;;;###autoload
(defun prp-lsp-gate-report ()
  "Show the deployment gate report of the current PRP (`prp.showGateReport').
The report's Markdown goes to the buffer `prp-lsp-gate-report-buffer'; the
one-line decision to the echo area.  Returns the server's result."
  (interactive)
  (let* ((result (prp-lsp-execute "prp.showGateReport" (vector (prp-lsp--buffer-uri))))
         (markdown (plist-get result :markdown))
         (buffer (get-buffer-create prp-lsp-gate-report-buffer)))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (if (stringp markdown) markdown (format "%S" result)))
        (goto-char (point-min))
        (let ((mode (prp-lsp--markdown-view-mode)))
          (unless (eq major-mode mode) (funcall mode))))
      (setq buffer-read-only t)
      ;; markdown-mode's view modes have their own keys (q closes); else view-mode's.
      (unless (memq major-mode '(gfm-view-mode markdown-view-mode))
        (view-mode 1)))
    (display-buffer buffer)
    (message "%s: %s" (plist-get result :prp) (plist-get result :summary))
    result))

;;; A minimal Markdown mode, for Emacs without one

(defvar prp-lsp-markdown-font-lock-keywords
  '(("^#+[ \t].*$" . font-lock-function-name-face)
    ("^[ \t]*[-*+] \\[[ xX]\\]" . font-lock-keyword-face)
    ("\\*\\*[^*\n]+\\*\\*" . font-lock-variable-name-face)
    ("`[^`\n]+`" . font-lock-constant-face)
    ("^[ \t]*```.*$" . font-lock-comment-face))
  "Highlights of `prp-lsp-markdown-mode'.")

;;;###autoload
(define-derived-mode prp-lsp-markdown-mode text-mode "Markdown/PRP"
  "A minimal Markdown mode for prp-lsp when no Markdown mode is installed.
Headings, task boxes, bold field names and code; install markdown-mode for
more."
  (setq-local font-lock-defaults '(prp-lsp-markdown-font-lock-keywords))
  (setq-local outline-regexp "#+[ \t]")
  (setq-local comment-start "<!-- ")
  (setq-local comment-end " -->"))

;;; Registration

(defun prp-lsp--server-programs-entry ()
  "The `eglot-server-programs' entry for prp-lsp."
  (cons (mapcar (lambda (mode) (list mode :language-id "markdown")) prp-lsp-major-modes)
        #'prp-lsp--contact))

(defun prp-lsp--register ()
  "Put prp-lsp first in `eglot-server-programs' and the root finder in place."
  (setq eglot-server-programs
        (cons (prp-lsp--server-programs-entry)
              (cl-remove #'prp-lsp--contact eglot-server-programs
                         :key #'cdr :test #'eq)))
  (add-hook 'project-find-functions #'prp-lsp-project-find)
  (when prp-lsp-register-fallback-mode
    (add-to-list 'auto-mode-alist '("\\.md\\'" . prp-lsp-markdown-mode) t)))

(prp-lsp--register)

(provide 'prp-lsp)
;;; prp-lsp.el ends here
